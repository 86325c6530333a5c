using Microsoft.AspNetCore.Http;
using Plant.Agents.Http;
using Plant.Agents.Wire;
using Plant.Core.Trials;
using Plant.Hosting;

namespace Plant.Agents.Trials;

/// <summary>
/// <c>POST /api/v1/trials/{id}/cancel</c>: cancels an active trial (200 with the trial; again 200 if it was cancelled
/// already). 409 when it has ended, 404 when there is no such trial.
/// </summary>
public sealed class CancelTrial(TrialService trials)
{
    [Function(nameof(CancelTrial))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/trials/{id}/cancel")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        HttpAnswers.GuardAsync(async () =>
        {
            var trialId = RouteIds.Parse("id", id);
            QueryReader.For(request);
            return await trials.CancelAsync(trialId, cancellationToken) switch
            {
                CancelTrialResult.Cancelled cancelled => TypedResults.Ok(TrialDto.From(cancelled.Trial)),
                CancelTrialResult.Ended ended => Problems.Result(
                    StatusCodes.Status409Conflict, TrialProblems.TrialEnded, "Trial ended",
                    $"Trial {trialId} ended at {ended.Trial.EndsAt:O}; there is nothing to cancel."),
                CancelTrialResult.NotFound => HttpAnswers.NotFound($"No trial {trialId}."),
                _ => throw new InvalidOperationException("Unknown cancel outcome."),
            };
        });
}

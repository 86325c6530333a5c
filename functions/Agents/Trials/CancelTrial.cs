using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
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
    [EndpointSummary("Cancel a trial")]
    [ActorHeader]
    [ProblemType(StatusCodes.Status409Conflict, TrialProblems.TrialEnded, "the trial has already ended")]
    public async Task<Results<Ok<TrialDto>, ProblemHttpResult>> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/trials/{id:guid}/cancel")] HttpRequest request,
        Guid id,
        CancellationToken cancellationToken)
    {
        QueryReader.For(request);
        return await trials.CancelAsync(id, Actors.Of(request, "anonymous"), cancellationToken) switch
        {
            CancelTrialResult.Cancelled cancelled => TypedResults.Ok(TrialDto.From(cancelled.Trial)),
            CancelTrialResult.Ended ended => Problems.Result(
                StatusCodes.Status409Conflict, TrialProblems.TrialEnded, "Trial ended",
                $"Trial {id} ended at {ended.Trial.EndsAt:O}; there is nothing to cancel."),
            CancelTrialResult.NotFound => Problems.NotFoundResult($"No trial {id}."),
            _ => throw new InvalidOperationException("Unknown cancel outcome."),
        };
    }
}

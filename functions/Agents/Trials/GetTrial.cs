using Microsoft.AspNetCore.Http;
using Plant.Agents.Http;
using Plant.Agents.Wire;
using Plant.Core.Trials;
using Plant.Hosting;

namespace Plant.Agents.Trials;

/// <summary><c>GET /api/v1/trials/{id}</c>: a trial, active, ended or cancelled (until the retention purge removes it).</summary>
public sealed class GetTrial(TrialService trials)
{
    [Function(nameof(GetTrial))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/trials/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        HttpAnswers.GuardAsync(async () =>
        {
            var trialId = RouteIds.Parse("id", id);
            QueryReader.For(request);
            if (await trials.GetAsync(trialId, cancellationToken) is not { } trial)
            {
                return HttpAnswers.NotFound($"No trial {trialId}.");
            }

            var dto = TrialDto.From(trial);
            return HttpAnswers.Json(request, dto, HttpAnswers.ContentETag(dto));
        });
}

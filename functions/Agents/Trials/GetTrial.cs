using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Plant.Agents.Wire;
using Plant.Core.Trials;
using Plant.Hosting;

namespace Plant.Agents.Trials;

/// <summary><c>GET /api/v1/trials/{id}</c>: a trial, active, ended or cancelled (until the retention purge removes it).</summary>
public sealed class GetTrial(TrialService trials)
{
    [Function(nameof(GetTrial))]
    [EndpointSummary("Get a trial")]
    public async Task<Results<Conditional<TrialDto>, ProblemHttpResult>> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/trials/{id:guid}")] HttpRequest request,
        Guid id,
        CancellationToken cancellationToken)
    {
        QueryReader.For(request);
        if (await trials.GetAsync(id, cancellationToken) is not { } trial)
        {
            return Problems.NotFoundResult($"No trial {id}.");
        }

        var dto = TrialDto.From(trial);
        return Conditional.Ok(dto, ETags.Content(dto));
    }
}

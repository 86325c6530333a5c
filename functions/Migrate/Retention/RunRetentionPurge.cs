using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Plant.Core.Retention;
using Plant.Hosting;
using Plant.Migrate.Wire;

namespace Plant.Migrate.Retention;

/// <summary>
/// <c>POST /api/v1/retention/purge</c> (master key): runs the retention purge now and answers its report.
/// <c>dryRun</c> (query <c>?dryRun=true</c> or body <c>{ "dryRun": true }</c>) reports what would go and changes nothing.
/// </summary>
public sealed class RunRetentionPurge(RetentionPurge purge)
{
    /// <summary>The problem type of a purge refused because another is running.</summary>
    public const string PurgeInProgress = "purge-in-progress";

    [Function(nameof(RunRetentionPurge))]
    [JsonRequestBody(typeof(PurgeRequestBody), Required = false)]
    [EndpointSummary("Purge expired data now")]
    [EndpointDescription("Master key (or an admin token) only. Runs the retention purge now and answers its report; dryRun (query or body, not both differently) reports what would go and changes nothing. Audited as the caller.")]
    [QueryParameter("dryRun", "Report what would be purged and change nothing (or give dryRun in the body).", Type = typeof(bool))]
    [ActorHeader]
    [ProblemType(StatusCodes.Status409Conflict, RunRetentionPurge.PurgeInProgress, "another retention purge is running; nothing was removed")]
    public async Task<Results<Ok<JsonObject>, ProblemHttpResult>> Run(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "v1/retention/purge")] HttpRequest request, CancellationToken cancellationToken)
    {
        var fromQuery = QueryReader.For(request).Bool("dryRun");
        var body = await JsonBody.ReadOptionalAsync<PurgeRequestBody>(request, cancellationToken);
        if (fromQuery is { } q && body?.DryRun is { } b && q != b)
        {
            throw new BadInputException("dryRun", "dryRun: the query and the body disagree; give it once.");
        }

        try
        {
            var report = await purge.RunAsync(new PurgeRequest { DryRun = fromQuery ?? body?.DryRun ?? false, Actor = Actors.Of(request, "anonymous") }, cancellationToken);
            return TypedResults.Ok(report.ToJson());
        }
        catch (RetentionBusyException e)
        {
            return Problems.Result(StatusCodes.Status409Conflict, PurgeInProgress, "Purge in progress", e.Message);
        }
    }
}

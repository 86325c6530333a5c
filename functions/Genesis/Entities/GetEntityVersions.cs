using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Npgsql;
using Plant.Core.Catalog;
using Plant.Core.Genesis;
using Plant.Genesis.Wire;
using Plant.Hosting;

namespace Plant.Genesis.Entities;

/// <summary><c>GET /api/v1/genesis/{type}/{id}/versions</c>: every version of the entity, oldest first.</summary>
public sealed class GetEntityVersions(NpgsqlDataSource dataSource)
{
    [Function(nameof(GetEntityVersions))]
    [EndpointSummary("List an entity's versions")]
    [EndpointDescription("Every version of the entity, oldest first, each linked to the one before by its content hash.")]
    [EntityTypeSegment]
    public async Task<Results<Ok<VersionsResponse>, ProblemHttpResult>> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/genesis/{type}/{id:guid}/versions")] HttpRequest request,
        string type, Guid id, CancellationToken cancellationToken)
    {
        if (!EntityTypes.TryParseRouteSegment(type, out var entityType))
        {
            return GenesisResults.UnknownType(type);
        }

        QueryReader.For(request);
        var versions = await EntityReader.HistoryAsync(dataSource, entityType, id, cancellationToken);
        return versions.Count == 0
            ? GenesisResults.NotFound(entityType, id)
            : TypedResults.Ok(new VersionsResponse(id, entityType.SchemaName(), [.. versions.Select(EntityResponse.From)]));
    }
}

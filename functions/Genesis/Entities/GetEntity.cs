using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Npgsql;
using Plant.Core.Catalog;
using Plant.Core.Genesis;
using Plant.Genesis.Wire;
using Plant.Hosting;

namespace Plant.Genesis.Entities;

/// <summary><c>GET /api/v1/genesis/{type}/{id}</c>: the entity's current version, whatever its status; its ETag is the version.</summary>
public sealed class GetEntity(NpgsqlDataSource dataSource)
{
    [Function(nameof(GetEntity))]
    [EndpointSummary("Get an entity")]
    [EndpointDescription("The entity's current version, whatever its status; its ETag is the version number (\"3\"), which If-Match on a write names. Answers 304 to If-None-Match naming it.")]
    [EntityTypeSegment]
    public async Task<Results<Conditional<EntityResponse>, ProblemHttpResult>> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/genesis/{type}/{id:guid}")] HttpRequest request,
        string type, Guid id, CancellationToken cancellationToken)
    {
        if (!EntityTypes.TryParseRouteSegment(type, out var entityType))
        {
            return GenesisResults.UnknownType(type);
        }

        QueryReader.For(request);
        return await EntityReader.CurrentAsync(dataSource, entityType, id, cancellationToken) is { } entity
            ? Conditional.Ok(EntityResponse.From(entity), GenesisRequests.ETag(entity.Version))
            : GenesisResults.NotFound(entityType, id);
    }
}

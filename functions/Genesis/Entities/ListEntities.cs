using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Npgsql;
using Plant.Core.Catalog;
using Plant.Core.Genesis;
using Plant.Core.Paging;
using Plant.Genesis.Wire;
using Plant.Hosting;

namespace Plant.Genesis.Entities;

/// <summary>
/// <c>GET /api/v1/genesis/{type}</c>: current versions by name, filtered by <c>status</c> and <c>certification</c>,
/// in pages (<c>limit</c>, <c>cursor</c>): <c>{ items, nextCursor }</c>.
/// </summary>
public sealed class ListEntities(NpgsqlDataSource dataSource, PageCursors cursors)
{
    private const int DefaultLimit = 50;

    private static readonly Dictionary<string, LifecycleStatus> s_statuses =
        Enum.GetValues<LifecycleStatus>().ToDictionary(s => s.SchemaName(), StringComparer.Ordinal);

    private static readonly Dictionary<string, CertificationStatus> s_certifications =
        Enum.GetValues<CertificationStatus>().ToDictionary(s => s.SchemaName(), StringComparer.Ordinal);

    [Function(nameof(ListEntities))]
    [EndpointSummary("List entities of a type")]
    [EndpointDescription("Current versions of the type's entities, whatever their status unless filtered, by name, in keyset pages.")]
    [EntityTypeSegment]
    [EntityFilters]
    [Paged(DefaultLimit, EntityReader.MaxPageSize)]
    public async Task<Results<Ok<Page<EntityResponse>>, ProblemHttpResult>> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/genesis/{type}")] HttpRequest request,
        string type, CancellationToken cancellationToken)
    {
        if (!EntityTypes.TryParseRouteSegment(type, out var entityType))
        {
            return GenesisResults.UnknownType(type);
        }

        var query = QueryReader.For(request);
        var filter = new EntityFilter(query.Choice("status", s_statuses), query.Choice("certification", s_certifications));
        var page = query.Page(DefaultLimit, EntityReader.MaxPageSize);
        var entities = await EntityReader.ListAsync(dataSource, cursors, entityType, filter, page.Limit, page.Cursor, cancellationToken);
        return TypedResults.Ok(new Page<EntityResponse>([.. entities.Items.Select(EntityResponse.From)], entities.Next));
    }
}

/// <summary><c>status</c> and <c>certification</c>, each one of its schema names.</summary>
internal sealed class EntityFiltersAttribute : ApiParametersAttribute
{
    public override IEnumerable<ApiParameter> Parameters =>
    [
        new("status", ParameterLocation.Query, "Only entities in this lifecycle status.", typeof(string), Values: [.. Enum.GetValues<LifecycleStatus>().Select(s => s.SchemaName())]),
        new("certification", ParameterLocation.Query, "Only entities with this certification status.", typeof(string), Values: [.. Enum.GetValues<CertificationStatus>().Select(s => s.SchemaName())]),
    ];
}

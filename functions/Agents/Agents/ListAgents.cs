using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Npgsql;
using Plant.Agents.Wire;
using Plant.Core.Agents;
using Plant.Hosting;

namespace Plant.Agents.Agents;

/// <summary>
/// <c>GET /api/v1/agents</c>: current agents, filtered (<c>industry</c>, <c>skill</c> repeatable, <c>jobRole</c>,
/// <c>team</c>, <c>status</c> repeatable, <c>certified</c>, <c>q</c>), sorted (<c>sort</c>), in keyset pages
/// (<c>cursor</c>, <c>limit</c>): <c>{ items, nextCursor }</c>.
/// </summary>
public sealed class ListAgents(AgentQueries queries, NpgsqlDataSource dataSource)
{
    public const int DefaultLimit = 20;
    public const int MaximumTextLength = 500;

    private static readonly Dictionary<string, AgentSort> s_sorts = new(StringComparer.Ordinal)
    {
        ["name"] = AgentSort.Name,
        ["-name"] = AgentSort.NameDescending,
        ["price"] = AgentSort.Price,
        ["-price"] = AgentSort.PriceDescending,
        ["newest"] = AgentSort.Newest,
    };

    [Function(nameof(ListAgents))]
    [EndpointSummary("List agents")]
    [EndpointDescription("Current agents, filtered, sorted and in keyset pages; answers 304 to If-None-Match while the catalog has not changed.")]
    [AgentFilters]
    [QueryParameter("q", "Only agents whose name or description contains this text.", MaxLength = MaximumTextLength)]
    [QueryParameter("sort", "The order: by name (default), price, or newest first; a leading - reverses.", Values = ["name", "-name", "price", "-price", "newest"])]
    [Paged(DefaultLimit, AgentQueries.MaximumLimit)]
    public async Task<Conditional<Page<AgentDto>>> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/agents")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var query = QueryReader.For(request);
        var filter = AgentFilterReader.Read(query, query.Text("q", MaximumTextLength));
        var sort = query.Choice("sort", s_sorts) ?? AgentSort.Name;
        var page = query.Page(DefaultLimit, AgentQueries.MaximumLimit);
        if (await ETags.CurrentCatalogAsync(request, dataSource, cancellationToken) is { } current)
        {
            return Conditional<Page<AgentDto>>.NotModified(current);
        }

        var agents = await queries.ListAsync(filter, sort, page.Limit, page.Cursor, cancellationToken);
        return Conditional.Ok(new Page<AgentDto>([.. agents.Items.Select(AgentDto.From)], agents.NextCursor), ETags.Catalog(request, agents.CatalogVersion));
    }
}

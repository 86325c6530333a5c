using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Plant.Core.Catalog;
using Plant.Hosting;

namespace Plant.Agents.Catalog;

/// <summary>The shape every catalog route shares: a paged list by name, and one entity by id; both with ETags.</summary>
internal static class CatalogRoutes
{
    public const int DefaultLimit = 100;

    /// <summary>
    /// A list: <paramref name="prepare"/> reads and checks the route's own filters and returns the query to run for
    /// a limit and cursor.
    /// </summary>
    public static async Task<Conditional<Page<TDto>>> ListAsync<TView, TDto>(
        HttpRequest request,
        NpgsqlDataSource dataSource,
        Func<QueryReader, Func<int, string?, Task<CatalogPage<TView>>>> prepare,
        Func<TView, TDto> map,
        CancellationToken ct)
    {
        var query = QueryReader.For(request);
        var run = prepare(query);
        var page = query.Page(DefaultLimit, CatalogQueries.MaximumLimit);
        if (await ETags.CurrentCatalogAsync(request, dataSource, ct) is { } current)
        {
            return Conditional<Page<TDto>>.NotModified(current);
        }

        var items = await run(page.Limit, page.Cursor);
        return Conditional.Ok(new Page<TDto>([.. items.Items.Select(map)], items.NextCursor), ETags.Catalog(request, items.CatalogVersion));
    }

    /// <summary>One entity by id; 404 when it is not current, active and unrejected.</summary>
    public static async Task<Results<Conditional<TDto>, ProblemHttpResult>> GetAsync<TView, TDto>(
        HttpRequest request,
        Guid id,
        NpgsqlDataSource dataSource,
        string what,
        Func<Guid, Task<(TView? Item, long CatalogVersion)>> get,
        Func<TView, TDto> map,
        CancellationToken ct)
        where TView : class
    {
        QueryReader.For(request);
        if (await ETags.CurrentCatalogAsync(request, dataSource, ct) is { } current)
        {
            return Conditional<TDto>.NotModified(current);
        }

        var (item, catalogVersion) = await get(id);
        return item is null
            ? Problems.NotFoundResult($"No {what} {id} in the catalog.")
            : Conditional.Ok(map(item), ETags.Catalog(request, catalogVersion));
    }
}

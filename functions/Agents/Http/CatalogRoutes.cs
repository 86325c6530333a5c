using Microsoft.AspNetCore.Http;
using Npgsql;
using Plant.Agents.Wire;
using Plant.Core.Catalog;

namespace Plant.Agents.Http;

/// <summary>The shape every catalog route shares: a paged list by name, and one entity by id; both with ETags.</summary>
internal static class CatalogRoutes
{
    public const int DefaultLimit = 100;

    /// <summary>
    /// A list: <paramref name="prepare"/> reads and checks the route's own filters and returns the query to run for
    /// a limit and cursor.
    /// </summary>
    public static Task<IResult> ListAsync<TView, TDto>(
        HttpRequest request,
        NpgsqlDataSource dataSource,
        string[] filters,
        Func<QueryReader, Func<int, string?, Task<CatalogPage<TView>>>> prepare,
        Func<TView, TDto> map,
        CancellationToken ct) =>
        HttpAnswers.GuardAsync(async () =>
        {
            var query = QueryReader.For(request, [.. filters, "cursor", "limit"]);
            var run = prepare(query);
            var limit = query.Int("limit", 1, CatalogQueries.MaximumLimit, DefaultLimit);
            var cursor = query.Single("cursor");
            if (await NotModifiedAsync(request, dataSource, ct) is { } notModified)
            {
                return notModified;
            }

            var page = await run(limit, cursor);
            return HttpAnswers.Json(request, CatalogPageDto<TDto>.From(page, map), HttpAnswers.CatalogETag(request, page.CatalogVersion));
        });

    /// <summary>One entity by id; 404 when it is not current, active and unrejected.</summary>
    public static Task<IResult> GetAsync<TView, TDto>(
        HttpRequest request,
        string id,
        NpgsqlDataSource dataSource,
        string what,
        Func<Guid, Task<(TView? Item, long CatalogVersion)>> get,
        Func<TView, TDto> map,
        CancellationToken ct)
        where TView : class =>
        HttpAnswers.GuardAsync(async () =>
        {
            var entityId = RouteIds.Parse("id", id);
            QueryReader.For(request);
            if (await NotModifiedAsync(request, dataSource, ct) is { } notModified)
            {
                return notModified;
            }

            var (item, catalogVersion) = await get(entityId);
            return item is null
                ? HttpAnswers.NotFound($"No {what} {entityId} in the catalog.")
                : HttpAnswers.Json(request, map(item)!, HttpAnswers.CatalogETag(request, catalogVersion));
        });

    /// <summary>304 when If-None-Match still names the current catalog's ETag; null otherwise (also without the header).</summary>
    public static async Task<IResult?> NotModifiedAsync(HttpRequest request, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        if (!HttpAnswers.HasIfNoneMatch(request))
        {
            return null;
        }

        var etag = HttpAnswers.CatalogETag(request, await CatalogChanges.ReadVersionAsync(dataSource, ct));
        return HttpAnswers.NotModified(request, etag) ? HttpAnswers.NotModifiedResult(request, etag) : null;
    }
}

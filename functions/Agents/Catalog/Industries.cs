using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Npgsql;
using Plant.Agents.Wire;
using Plant.Core.Catalog;
using Plant.Hosting;

namespace Plant.Agents.Catalog;

/// <summary><c>GET /api/v1/industries</c> and <c>GET /api/v1/industries/{id}</c>.</summary>
public sealed class Industries(CatalogQueries catalog, NpgsqlDataSource dataSource)
{
    [Function(nameof(ListIndustries))]
    [EndpointSummary("List industries")]
    [EndpointDescription("Current, active industries by name, in keyset pages; answers 304 to If-None-Match while the catalog has not changed.")]
    [Paged(CatalogRoutes.DefaultLimit, CatalogQueries.MaximumLimit)]
    public Task<Conditional<Page<IndustryDto>>> ListIndustries(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/industries")] HttpRequest request,
        CancellationToken cancellationToken) =>
        CatalogRoutes.ListAsync<IndustryView, IndustryDto>(request, dataSource, _ =>
            (limit, cursor) => catalog.ListIndustriesAsync(limit, cursor, cancellationToken), IndustryDto.From, cancellationToken);

    [Function(nameof(GetIndustry))]
    [EndpointSummary("Get an industry")]
    public Task<Results<Conditional<IndustryDto>, ProblemHttpResult>> GetIndustry(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/industries/{id:guid}")] HttpRequest request,
        Guid id,
        CancellationToken cancellationToken) =>
        CatalogRoutes.GetAsync(request, id, dataSource, "industry", industryId => catalog.GetIndustryAsync(industryId, cancellationToken), IndustryDto.From, cancellationToken);
}

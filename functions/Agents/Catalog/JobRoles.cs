using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Npgsql;
using Plant.Agents.Wire;
using Plant.Core.Catalog;
using Plant.Hosting;

namespace Plant.Agents.Catalog;

/// <summary><c>GET /api/v1/job-roles</c> (filter <c>industry</c>) and <c>GET /api/v1/job-roles/{id}</c>.</summary>
public sealed class JobRoles(CatalogQueries catalog, NpgsqlDataSource dataSource)
{
    [Function(nameof(ListJobRoles))]
    [EndpointSummary("List job roles")]
    [EndpointDescription("Current, active job roles by name, in keyset pages; answers 304 to If-None-Match while the catalog has not changed.")]
    [QueryParameter("industry", "Only job roles of this industry.", Type = typeof(Guid))]
    [Paged(CatalogRoutes.DefaultLimit, CatalogQueries.MaximumLimit)]
    public Task<Conditional<Page<JobRoleDto>>> ListJobRoles(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/job-roles")] HttpRequest request,
        CancellationToken cancellationToken) =>
        CatalogRoutes.ListAsync<JobRoleView, JobRoleDto>(request, dataSource, query =>
        {
            var industry = query.Guid("industry");
            return (limit, cursor) => catalog.ListJobRolesAsync(industry, limit, cursor, cancellationToken);
        }, JobRoleDto.From, cancellationToken);

    [Function(nameof(GetJobRole))]
    [EndpointSummary("Get a job role")]
    public Task<Results<Conditional<JobRoleDto>, ProblemHttpResult>> GetJobRole(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/job-roles/{id:guid}")] HttpRequest request,
        Guid id,
        CancellationToken cancellationToken) =>
        CatalogRoutes.GetAsync(request, id, dataSource, "job role", roleId => catalog.GetJobRoleAsync(roleId, cancellationToken), JobRoleDto.From, cancellationToken);
}

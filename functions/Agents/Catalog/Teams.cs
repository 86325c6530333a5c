using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Npgsql;
using Plant.Agents.Wire;
using Plant.Core.Catalog;
using Plant.Hosting;

namespace Plant.Agents.Catalog;

/// <summary><c>GET /api/v1/teams</c> (filter <c>jobRole</c>) and <c>GET /api/v1/teams/{id}</c>.</summary>
public sealed class Teams(CatalogQueries catalog, NpgsqlDataSource dataSource)
{
    [Function(nameof(ListTeams))]
    [EndpointSummary("List teams")]
    [EndpointDescription("Current, active teams by name, in keyset pages; answers 304 to If-None-Match while the catalog has not changed.")]
    [QueryParameter("jobRole", "Only teams in this job role.", Type = typeof(Guid))]
    [Paged(CatalogRoutes.DefaultLimit, CatalogQueries.MaximumLimit)]
    public Task<Conditional<Page<TeamDto>>> ListTeams(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/teams")] HttpRequest request,
        CancellationToken cancellationToken) =>
        CatalogRoutes.ListAsync<TeamView, TeamDto>(request, dataSource, query =>
        {
            var jobRole = query.Guid("jobRole");
            return (limit, cursor) => catalog.ListTeamsAsync(jobRole, limit, cursor, cancellationToken);
        }, TeamDto.From, cancellationToken);

    [Function(nameof(GetTeam))]
    [EndpointSummary("Get a team")]
    public Task<Results<Conditional<TeamDto>, ProblemHttpResult>> GetTeam(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/teams/{id:guid}")] HttpRequest request,
        Guid id,
        CancellationToken cancellationToken) =>
        CatalogRoutes.GetAsync(request, id, dataSource, "team", teamId => catalog.GetTeamAsync(teamId, cancellationToken), TeamDto.From, cancellationToken);
}

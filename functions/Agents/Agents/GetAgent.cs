using Microsoft.AspNetCore.Http;
using Npgsql;
using Plant.Agents.Http;
using Plant.Agents.Wire;
using Plant.Core.Agents;
using Plant.Hosting;

namespace Plant.Agents.Agents;

/// <summary>
/// <c>GET /api/v1/agents/{id}</c>: one agent's whole profile. An agent that is not active (or whose certification
/// was rejected) is not found unless <c>status</c> names its status, as in lists.
/// </summary>
public sealed class GetAgent(AgentQueries queries, NpgsqlDataSource dataSource)
{
    [Function(nameof(GetAgent))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/agents/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        HttpAnswers.GuardAsync(async () =>
        {
            var agentId = RouteIds.Parse("id", id);
            var statuses = AgentFilterReader.ReadStatuses(QueryReader.For(request, "status"));

            if (await CatalogRoutes.NotModifiedAsync(request, dataSource, cancellationToken) is { } notModified)
            {
                return notModified;
            }

            var (agent, catalogVersion) = await queries.GetAsync(agentId, statuses, cancellationToken);
            return agent is null
                ? HttpAnswers.NotFound($"No agent {agentId} with status {string.Join(" or ", statuses.Select(s => s.ToString().ToLowerInvariant()))}.")
                : HttpAnswers.Json(request, AgentDto.From(agent), HttpAnswers.CatalogETag(request, catalogVersion));
        });
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Npgsql;
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
    [EndpointSummary("Get an agent")]
    [EndpointDescription("One agent's whole profile; an agent that is not active is found only when status names its status.")]
    [AgentStatus]
    public async Task<Results<Conditional<AgentDto>, ProblemHttpResult>> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/agents/{id:guid}")] HttpRequest request,
        Guid id,
        CancellationToken cancellationToken)
    {
        var statuses = AgentFilterReader.ReadStatuses(QueryReader.For(request));
        if (await ETags.CurrentCatalogAsync(request, dataSource, cancellationToken) is { } current)
        {
            return Conditional<AgentDto>.NotModified(current);
        }

        var (agent, catalogVersion) = await queries.GetAsync(id, statuses, cancellationToken);
        return agent is null
            ? Problems.NotFoundResult($"No agent {id} with status {string.Join(" or ", statuses.Select(s => s.ToString().ToLowerInvariant()))}.")
            : Conditional.Ok(AgentDto.From(agent), ETags.Catalog(request, catalogVersion));
    }
}

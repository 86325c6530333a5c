using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Plant.Hosting;

namespace Plant.Agents;

/// <summary>Answers when the Agents app is deployed and serving; the portals' status page calls it.</summary>
public sealed class AgentsHealth
{
    [Function(nameof(AgentsHealth))]
    [EndpointSummary("Whether Agents is up")]
    public static Ok<AppHealth> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/agents/health")] HttpRequest request) =>
        TypedResults.Ok(new AppHealth("agents"));
}

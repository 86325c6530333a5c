using Microsoft.AspNetCore.Http;
using Plant.Hosting;

namespace Plant.Agents;

/// <summary>Answers when the Agents app is deployed and serving; the portals' status page calls it.</summary>
public sealed class AgentsHealth
{
    [Function(nameof(AgentsHealth))]
    public static IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/agents/health")] HttpRequest request) =>
        Results.Ok(new { app = "agents", status = "ok" });
}

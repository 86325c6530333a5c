using Microsoft.AspNetCore.Http;
using Plant.Hosting;

namespace Plant.Genesis;

/// <summary>Answers when the Genesis app is deployed and serving; the portals' status page calls it.</summary>
public sealed class GenesisHealth
{
    [Function(nameof(GenesisHealth))]
    public static IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/genesis/health")] HttpRequest request) =>
        Results.Ok(new { app = "genesis", status = "ok" });
}

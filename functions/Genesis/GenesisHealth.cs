using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Plant.Hosting;

namespace Plant.Genesis;

/// <summary>Answers when the Genesis app is deployed and serving; the portals' status page calls it.</summary>
public sealed class GenesisHealth
{
    [Function(nameof(GenesisHealth))]
    [EndpointSummary("Whether Genesis is up")]
    public static Ok<AppHealth> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/genesis/health")] HttpRequest request) =>
        TypedResults.Ok(new AppHealth("genesis"));
}

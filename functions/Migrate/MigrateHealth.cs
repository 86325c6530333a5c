using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Plant.Hosting;

namespace Plant.Migrate;

/// <summary>Answers when the Migrate app is deployed and serving; the portals' status page calls it.</summary>
public sealed class MigrateHealth
{
    [Function(nameof(MigrateHealth))]
    [EndpointSummary("Whether Migrate is up")]
    public static Ok<AppHealth> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/migrate/health")] HttpRequest request) =>
        TypedResults.Ok(new AppHealth("migrate"));
}

using Microsoft.AspNetCore.Http;
using Plant.Hosting;

namespace Plant.Migrate;

/// <summary>Answers when the Migrate app is deployed and serving; the portals' status page calls it.</summary>
public sealed class MigrateHealth
{
    [Function(nameof(MigrateHealth))]
    public static IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/migrate/health")] HttpRequest request) =>
        Results.Ok(new { app = "migrate", status = "ok" });
}

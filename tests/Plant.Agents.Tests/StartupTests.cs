using Plant.Agents;
using Plant.Testing.Hosting;

namespace Plant.Agents.Tests;

/// <summary>The Agents app requires the settings it uses, and no other app's.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task Agents_starts_in_prod_without_the_retention_days_only_Migrate_uses()
    {
        var folder = Directory.CreateTempSubdirectory("agents-startup-").FullName;
        try
        {
            await using var app = TestHost.Build("Host=127.0.0.1;Database=unused", AgentsApp.Definition, folder,
                settings: new Dictionary<string, string?> { ["PLANT_ENVIRONMENT"] = "prod", ["PLANT_RETENTION_DAYS"] = null });

            Assert.NotNull(app);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

using Plant.Hosting;
using Plant.Testing.Hosting;

namespace Plant.Migrate.Tests.Settings;

/// <summary>The Migrate app purges expired data, so where retention has no default it requires the days to be set.</summary>
public sealed class StartupTests
{
    [Theory]
    [InlineData("uat")]
    [InlineData("prod")]
    public void Migrate_refuses_to_start_without_the_retention_days_naming_them(string environment)
    {
        var folder = Directory.CreateTempSubdirectory("migrate-startup-").FullName;
        try
        {
            var error = Assert.Throws<StartupException>(() => TestHost.Build("Host=127.0.0.1;Database=unused", MigrateApp.Definition, folder,
                settings: new Dictionary<string, string?> { ["PLANT_ENVIRONMENT"] = environment, ["PLANT_RETENTION_DAYS"] = null }));

            Assert.Contains(error.Problems, p => p.StartsWith("PLANT_RETENTION_DAYS: required in " + environment, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

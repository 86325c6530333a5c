using Plant.Core.Configuration;
using Plant.Hosting.Tests.Support;
using Plant.Testing.Hosting;
using Plant.Testing;
using Microsoft.AspNetCore.Http;

namespace Plant.Hosting.Tests.Http;

public sealed class EnvironmentFunctions
{
    [Function("EnvironmentProbe")]
    public static IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request) => Results.Ok();
}

public sealed class EnvironmentSettingsTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Theory]
    [InlineData("PLANT_ENVIRONMENT", "staging")]
    [InlineData("PLANT_RETENTION_DAYS", null)]
    [InlineData("PLANT_SIGNING_KEY_BITS", "1024")]
    [InlineData("PLANT_MIGRATION_POLICY", "sometimes")]
    public void The_host_refuses_to_start_with_a_bad_environment_setting_and_names_it(string setting, string? value)
    {
        var e = StartupFailure.Of<ConfigurationException>(database.ConnectionString, [typeof(EnvironmentFunctions)],
            new Dictionary<string, string?> { [setting] = value });
        Assert.Equal(setting, e.Setting);
    }

    [Fact]
    public async Task The_environment_settings_are_a_service_for_functions()
    {
        await using var host = await TestHost.StartAsync(database.ConnectionString, [typeof(EnvironmentFunctions)],
            new Dictionary<string, string?> { ["PLANT_TRIAL_DAYS"] = "14" });
        var settings = (PlantSettings)host.Services.GetService(typeof(PlantSettings))!;
        Assert.Equal((PlantEnvironment.Uat, 14, 30), (settings.Environment, settings.TrialDays, settings.RetentionDays));
    }
}

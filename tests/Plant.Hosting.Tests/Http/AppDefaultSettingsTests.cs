using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Plant.Hosting.Functions;
using Plant.Testing;
using Plant.Testing.Hosting;

namespace Plant.Hosting.Tests.Http;

#pragma warning disable CA1801, IDE0060 // the trigger parameter is what makes these timers

public sealed class DefaultScheduleFunctions
{
    public const string Setting = "PLANT_TEST_DEFAULTED_SCHEDULE";

    [Function("Defaulted")]
    public static void Run([TimerTrigger("%" + Setting + "%")] TimerInfo timer)
    {
    }
}

#pragma warning restore CA1801, IDE0060

/// <summary>An app's default settings: below the environment and local.settings.json, enough for a <c>%Setting%</c> schedule.</summary>
public sealed class AppDefaultSettingsTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private static readonly FunctionApp s_app = TestHost.App([typeof(DefaultScheduleFunctions)])
        .WithDefaultSettings(new Dictionary<string, string?> { [DefaultScheduleFunctions.Setting] = "0 30 2 * * *" });

    [Fact]
    public async Task A_schedule_setting_the_app_defaults_lets_the_host_start_with_the_default()
    {
        await using var host = await TestHost.StartAsync(database.ConnectionString, s_app);

        Assert.Equal("0 30 2 * * *", host.Services.GetRequiredService<IConfiguration>()[DefaultScheduleFunctions.Setting]);
    }

    [Fact]
    public async Task A_setting_overrides_the_app_default_and_is_the_schedule_parsed()
    {
        await using var host = await TestHost.StartAsync(database.ConnectionString, s_app,
            new Dictionary<string, string?> { [DefaultScheduleFunctions.Setting] = "0 0 * * * *" });
        var folder = Directory.CreateTempSubdirectory("plant-host-test-").FullName;
        StartupException e;
        try
        {
            e = Assert.Throws<StartupException>(() => TestHost.Build(database.ConnectionString, s_app, folder,
                settings: new Dictionary<string, string?> { [DefaultScheduleFunctions.Setting] = "0 0 25 * * *" }));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        Assert.Equal("0 0 * * * *", host.Services.GetRequiredService<IConfiguration>()[DefaultScheduleFunctions.Setting]);
        Assert.Contains("'Defaulted'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_settings_override_the_app_default()
    {
        await using var host = await TestHost.StartAsync(database.ConnectionString, s_app,
            localSettingsJson: $$"""{ "Values": { "{{DefaultScheduleFunctions.Setting}}": "0 15 * * * *" } }""");

        Assert.Equal("0 15 * * * *", host.Services.GetRequiredService<IConfiguration>()[DefaultScheduleFunctions.Setting]);
    }
}

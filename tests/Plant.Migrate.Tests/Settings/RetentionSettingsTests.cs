using Microsoft.Extensions.Configuration;
using Plant.Core.Configuration;

namespace Plant.Migrate.Tests.Settings;

/// <summary>The retention purge's settings in PlantSettings: defaults per environment, overrides, and bad values.</summary>
public sealed class RetentionSettingsTests
{
    [Theory]
    [InlineData("local", null, null)]
    [InlineData("demo", 30, 30)]
    [InlineData("uat", 365, 90)]
    [InlineData("prod", null, 365)]
    public void Each_environment_has_its_defaults(string environment, int? auditDays, int? migrationLogDays)
    {
        var settings = PlantSettings.Load(Config(("PLANT_ENVIRONMENT", environment), ("PLANT_RETENTION_DAYS", "30"))).Retention;

        Assert.Equal(
            new RetentionSettings
            {
                Schedule = "0 0 3 * * *",
                AuditDays = auditDays,
                MigrationLogDays = migrationLogDays,
                TimeBudget = TimeSpan.FromSeconds(240),
                StatementTarget = TimeSpan.FromMilliseconds(200),
            },
            settings);
    }

    [Fact]
    public void Every_default_is_overridden_by_its_variable()
    {
        var settings = PlantSettings.Load(Config(
            ("PLANT_ENVIRONMENT", "prod"),
            ("PLANT_RETENTION_DAYS", "30"),
            ("PLANT_RETENTION_SCHEDULE", " 0 30 2 * * * "),
            ("PLANT_AUDIT_RETENTION_DAYS", "2555"),
            ("PLANT_MIGRATION_LOG_RETENTION_DAYS", "NONE"),
            ("PLANT_RETENTION_TIME_BUDGET_SECONDS", "60"),
            ("PLANT_RETENTION_STATEMENT_MS", "50"))).Retention;

        Assert.Equal(
            new RetentionSettings
            {
                Schedule = "0 30 2 * * *",
                AuditDays = 2555,
                MigrationLogDays = null,
                TimeBudget = TimeSpan.FromSeconds(60),
                StatementTarget = TimeSpan.FromMilliseconds(50),
            },
            settings);
    }

    [Theory]
    [InlineData("PLANT_AUDIT_RETENTION_DAYS", "0")]
    [InlineData("PLANT_AUDIT_RETENTION_DAYS", "forever")]
    [InlineData("PLANT_MIGRATION_LOG_RETENTION_DAYS", "-1")]
    [InlineData("PLANT_RETENTION_TIME_BUDGET_SECONDS", "0")]
    [InlineData("PLANT_RETENTION_STATEMENT_MS", "5")]
    public void A_bad_value_stops_start_up_naming_its_setting(string setting, string value)
    {
        var error = Assert.Throws<ConfigurationException>(() => PlantSettings.Load(Config(("PLANT_ENVIRONMENT", "local"), (setting, value))));

        Assert.Equal(setting, error.Setting);
        Assert.StartsWith(setting + ": ", error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}

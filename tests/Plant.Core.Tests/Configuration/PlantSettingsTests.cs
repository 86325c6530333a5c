using Microsoft.Extensions.Configuration;
using Plant.Core.Configuration;

namespace Plant.Core.Tests.Configuration;

public sealed class PlantSettingsTests
{
    private static IConfiguration Config(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, v.Value))).Build();

    [Theory]
    [InlineData("local", 2048, null, MigrationPolicy.Auto, LogFormat.Text, true, true)]
    [InlineData("demo", 4096, 7, MigrationPolicy.Auto, LogFormat.Json, true, false)]
    [InlineData("uat", 4096, null, MigrationPolicy.Manual, LogFormat.Json, false, false)]
    [InlineData("prod", 4096, null, MigrationPolicy.Approval, LogFormat.Json, false, false)]
    public void Each_environment_has_its_defaults(
        string environment, int keyBits, int? retentionDays, MigrationPolicy policy, LogFormat logFormat, bool seedAllowed, bool debug)
    {
        var defaults = PlantSettings.Defaults(PlantEnvironments.Parse(environment));

        Assert.Equal(
            (keyBits, retentionDays, policy, logFormat, seedAllowed, 7, debug),
            (defaults.SigningKeyBits, defaults.RetentionDays, defaults.MigrationPolicy, defaults.LogFormat, defaults.SeedAllowed, defaults.TrialDays, defaults.Debug));
        Assert.Equal(environment is "uat" or "prod", defaults.RetentionRequired);
    }

    [Theory]
    [InlineData(null, PlantEnvironment.Local)]
    [InlineData("demo", PlantEnvironment.Demo)]
    public void Loading_without_overrides_gives_the_defaults(string? environment, PlantEnvironment expected)
    {
        var settings = PlantSettings.Load(Config(("PLANT_ENVIRONMENT", environment)));

        Assert.Equal(PlantSettings.Defaults(expected), settings);
    }

    [Theory]
    [InlineData("uat")]
    [InlineData("prod")]
    public void Uat_and_prod_take_their_retention_from_the_setting(string environment)
    {
        var settings = PlantSettings.Load(Config(("PLANT_ENVIRONMENT", environment), ("PLANT_RETENTION_DAYS", "30")));

        Assert.Equal(30, settings.RetentionDays);
        Assert.Equal(PlantSettings.Defaults(PlantEnvironments.Parse(environment)) with { RetentionDays = 30 }, settings);
    }

    [Fact]
    public void Every_default_is_overridden_by_its_variable()
    {
        var settings = PlantSettings.Load(Config(
            ("PLANT_ENVIRONMENT", "demo"),
            ("PLANT_SIGNING_KEY_BITS", "3072"),
            ("PLANT_RETENTION_DAYS", "90"),
            ("PLANT_MIGRATION_POLICY", "Approval"),
            ("PLANT_LOG_FORMAT", "text"),
            ("PLANT_SEED_ALLOWED", "false"),
            ("PLANT_TRIAL_DAYS", "14"),
            ("PLANT_DEBUG", "true")));

        Assert.Equal(
            new PlantSettings
            {
                Environment = PlantEnvironment.Demo,
                SigningKeyBits = 3072,
                RetentionDays = 90,
                RetentionRequired = false,
                MigrationPolicy = MigrationPolicy.Approval,
                LogFormat = LogFormat.Text,
                SeedAllowed = false,
                TrialDays = 14,
                Debug = true,
                Migrations = MigrationSettings.Defaults(PlantEnvironment.Demo),
                Retention = RetentionSettings.Defaults(PlantEnvironment.Demo),
            },
            settings);
    }

    [Theory]
    [InlineData("PLANT_MIGRATION_POLICY", "manual")]
    [InlineData("PLANT_LOG_FORMAT", "json")]
    [InlineData("PLANT_SEED_ALLOWED", "no")]
    [InlineData("PLANT_DEBUG", "0")]
    [InlineData("PLANT_RETENTION_DAYS", "none")]
    public void A_single_override_changes_only_its_setting(string setting, string value)
    {
        var settings = PlantSettings.Load(Config(("PLANT_ENVIRONMENT", "demo"), (setting, value)));
        var defaults = PlantSettings.Defaults(PlantEnvironment.Demo);

        var expected = setting switch
        {
            "PLANT_MIGRATION_POLICY" => defaults with { MigrationPolicy = MigrationPolicy.Manual },
            "PLANT_LOG_FORMAT" => defaults,
            "PLANT_SEED_ALLOWED" => defaults with { SeedAllowed = false },
            "PLANT_DEBUG" => defaults with { Debug = false },
            _ => defaults with { RetentionDays = null },
        };
        Assert.Equal(expected, settings);
    }

    [Theory]
    [InlineData("local", "PLANT_SIGNING_KEY_BITS", "1024", "between 2048 and 16384")]
    [InlineData("local", "PLANT_SIGNING_KEY_BITS", "3000", "multiple of 1024")]
    [InlineData("local", "PLANT_SIGNING_KEY_BITS", "big", "'big'")]
    [InlineData("local", "PLANT_RETENTION_DAYS", "0", "between 1 and")]
    [InlineData("demo", "PLANT_RETENTION_DAYS", "-7", "'-7'")]
    [InlineData("demo", "PLANT_RETENTION_DAYS", "a week", "'a week'")]
    [InlineData("prod", "PLANT_RETENTION_DAYS", "none", "not allowed in prod")]
    [InlineData("local", "PLANT_MIGRATION_POLICY", "sometimes", "auto, manual, approval")]
    [InlineData("local", "PLANT_LOG_FORMAT", "xml", "json or text")]
    [InlineData("local", "PLANT_SEED_ALLOWED", "maybe", "true or false")]
    [InlineData("local", "PLANT_TRIAL_DAYS", "0", "between 1 and 365")]
    [InlineData("local", "PLANT_TRIAL_DAYS", "1000", "between 1 and 365")]
    [InlineData("local", "PLANT_DEBUG", "verbose", "true or false")]
    [InlineData("prod", "PLANT_SEED_ALLOWED", "true", "never allowed in prod")]
    public void A_bad_value_is_an_error_naming_the_setting(string environment, string setting, string value, string problem)
    {
        // uat and prod need a retention; it is set unless it is the setting under test.
        var configuration = setting == "PLANT_RETENTION_DAYS"
            ? Config(("PLANT_ENVIRONMENT", environment), (setting, value))
            : Config(("PLANT_ENVIRONMENT", environment), (setting, value), ("PLANT_RETENTION_DAYS", "30"));

        var error = Assert.Throws<ConfigurationException>(() => PlantSettings.Load(configuration));

        Assert.Equal(setting, error.Setting);
        Assert.StartsWith(setting + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("uat")]
    [InlineData("prod")]
    public void Uat_and_prod_refuse_to_purge_without_a_retention(string environment)
    {
        var settings = PlantSettings.Load(Config(("PLANT_ENVIRONMENT", environment)));

        var error = Assert.Throws<ConfigurationException>(() => settings.RequireRetentionDays());

        Assert.Equal("PLANT_RETENTION_DAYS", error.Setting);
        Assert.Contains($"required in {environment}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bad_setting_is_named_at_once()
    {
        var error = Assert.Throws<ConfigurationException>(() => PlantSettings.Load(Config(
            ("PLANT_ENVIRONMENT", "prod"), ("PLANT_TRIAL_DAYS", "0"), ("PLANT_SIGNING_KEY_BITS", "1000"), ("PLANT_SEED_ALLOWED", "true"))));

        Assert.Equal(
            ["PLANT_SEED_ALLOWED", "PLANT_SIGNING_KEY_BITS", "PLANT_TRIAL_DAYS"],
            error.Message.Split(Environment.NewLine).Select(line => line[..line.IndexOf(':', StringComparison.Ordinal)]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_unknown_environment_is_an_error_naming_it() =>
        Assert.Equal("PLANT_ENVIRONMENT", Assert.Throws<ConfigurationException>(() => PlantSettings.Load(Config(("PLANT_ENVIRONMENT", "staging")))).Setting);
}

using Microsoft.Extensions.Configuration;
using Plant.Core.Configuration;
using Plant.Testing;

namespace Plant.Migrate.Tests.Settings;

/// <summary>The Migrate settings in PlantSettings: defaults per environment, overrides, and what prod refuses.</summary>
public sealed class MigrationSettingsTests
{
    [Theory]
    [InlineData("local", BackupKind.PgDump)]
    [InlineData("demo", BackupKind.CloudSql)]
    [InlineData("uat", BackupKind.CloudSql)]
    [InlineData("prod", BackupKind.CloudSql)]
    public void Each_environment_has_its_defaults(string environment, BackupKind backup)
    {
        var settings = PlantSettings.Load(Config(("PLANT_ENVIRONMENT", environment), ("PLANT_RETENTION_DAYS", "30"))).Migrations;

        Assert.Equal(
            new MigrationSettings
            {
                Schedule = "0 */15 * * * *",
                ApprovalLifetime = TimeSpan.FromHours(24),
                Backup = backup,
                BackupDirectory = RepositoryFolder.Path(".plant", "backups"),
                BackupKeep = 5,
                BackupTimeout = TimeSpan.FromMinutes(30),
                CloudSqlInstance = null,
                CloudSqlApi = new Uri("https://sqladmin.googleapis.com/"),
                MetadataHost = "metadata.google.internal",
            },
            settings);
    }

    [Fact]
    public void Every_default_is_overridden_by_its_variable()
    {
        var settings = PlantSettings.Load(Config(
            ("PLANT_MIGRATE_SCHEDULE", "0 0 * * * *"),
            ("PLANT_MIGRATE_APPROVAL_HOURS", "2"),
            ("PLANT_BACKUP", "cloudsql"),
            ("PLANT_BACKUP_DIR", "/var/backups/plant"),
            ("PLANT_BACKUP_KEEP", "12"),
            ("PLANT_BACKUP_TIMEOUT_MINUTES", "5"),
            ("PLANT_CLOUDSQL_INSTANCE", "example.com:proj:europe-west1:db"),
            ("PLANT_CLOUDSQL_API_URL", "http://127.0.0.1:9000"),
            ("GCE_METADATA_HOST", "169.254.169.254"))).Migrations;

        Assert.Equal(("0 0 * * * *", TimeSpan.FromHours(2), BackupKind.CloudSql, "/var/backups/plant", 12, TimeSpan.FromMinutes(5)),
            (settings.Schedule, settings.ApprovalLifetime, settings.Backup, settings.BackupDirectory, settings.BackupKeep, settings.BackupTimeout));
        Assert.Equal(("example.com:proj:europe-west1:db", "http://127.0.0.1:9000/", "169.254.169.254"),
            (settings.CloudSqlInstance, settings.CloudSqlApi.ToString(), settings.MetadataHost));
        Assert.Equal(new CloudSqlInstanceName("example.com:proj", "europe-west1", "db"), CloudSqlInstanceName.TryParse(settings.CloudSqlInstance));
    }

    [Theory]
    [InlineData(null, null, ".plant", ".plant/backups")]
    [InlineData("state/local", null, "state/local", "state/local/backups")]
    [InlineData("state/local", "dumps", "state/local", "dumps")]
    [InlineData("/var/plant", "/var/backups/plant", "/var/plant", "/var/backups/plant")]
    public void Relative_local_folders_are_taken_from_the_checkout_and_backups_default_into_the_local_folder(
        string? localDir, string? backupDir, string expectedLocal, string expectedBackups)
    {
        var settings = PlantSettings.Load(Config(("PLANT_LOCAL_DIR", localDir!), ("PLANT_BACKUP_DIR", backupDir!)));

        // The tests run from their bin folder, not the checkout's root: a path taken from the working folder would differ.
        Assert.NotEqual(RepositoryFolder.Root, Directory.GetCurrentDirectory());
        Assert.Equal(Path.GetFullPath(expectedLocal, RepositoryFolder.Root), settings.LocalDirectory);
        Assert.Equal(Path.GetFullPath(expectedBackups, RepositoryFolder.Root), settings.Migrations.BackupDirectory);
    }

    [Theory]
    [InlineData("local", "PLANT_BACKUP", "tape", "pg_dump, cloudsql, none")]
    [InlineData("prod", "PLANT_BACKUP", "none", "not allowed in prod")]
    [InlineData("local", "PLANT_BACKUP_KEEP", "0", "between 1 and")]
    [InlineData("local", "PLANT_MIGRATE_APPROVAL_HOURS", "forever", "'forever'")]
    [InlineData("local", "PLANT_CLOUDSQL_INSTANCE", "just-a-name", "PROJECT:REGION:INSTANCE")]
    [InlineData("local", "PLANT_CLOUDSQL_API_URL", "ftp://example", "http or https")]
    [InlineData("prod", "PLANT_MIGRATION_POLICY", "auto", "only plans an operator approved")]
    [InlineData("prod", "PLANT_MIGRATION_POLICY", "manual", "only plans an operator approved")]
    public void A_bad_or_forbidden_value_is_an_error_naming_the_setting(string environment, string setting, string value, string problem)
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            PlantSettings.Load(Config(("PLANT_ENVIRONMENT", environment), ("PLANT_RETENTION_DAYS", "30"), (setting, value))));

        Assert.Equal(setting, error.Setting);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Uat_s_auto_flag_is_the_auto_policy()
    {
        var settings = PlantSettings.Load(Config(("PLANT_ENVIRONMENT", "uat"), ("PLANT_RETENTION_DAYS", "30"), ("PLANT_MIGRATION_POLICY", "auto")));

        Assert.Equal(MigrationPolicy.Auto, settings.MigrationPolicy);
    }

    [Theory]
    [InlineData("/cloudsql/proj:europe-west1:db", "proj:europe-west1:db")]
    [InlineData("/cloudsql/example.com:proj:us-central1:db/", "example.com:proj:us-central1:db")]
    [InlineData("/var/run/postgresql", null)]
    [InlineData("10.0.0.5", null)]
    public void A_cloudsql_socket_folder_names_its_instance(string host, string? instance) =>
        Assert.Equal(instance, CloudSqlInstanceName.FromSocketHost(host)?.ToString());

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}

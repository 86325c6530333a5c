using Microsoft.Extensions.Configuration;

namespace Plant.Core.Configuration;

/// <summary>Where the backup taken before every migration run goes (<c>PLANT_BACKUP</c>).</summary>
public enum BackupKind
{
    /// <summary>No backup (local, demo and uat only; refused in prod).</summary>
    None,

    /// <summary><c>pg_dump --format=custom</c> into <see cref="MigrationSettings.BackupDirectory"/>, keeping the newest N.</summary>
    PgDump,

    /// <summary>An on-demand Cloud SQL backup through the Cloud SQL Admin API.</summary>
    CloudSql,
}

/// <summary>
/// The Migrate function's settings: its schedule, approvals and backups. Part of <see cref="PlantSettings"/>
/// (<see cref="PlantSettings.Migrations"/>), read by <see cref="PlantSettings.Load"/>; docs/ENVIRONMENTS.md and
/// README.md list them.
/// </summary>
public sealed record MigrationSettings
{
    public const string ScheduleSetting = "PLANT_MIGRATE_SCHEDULE";
    public const string ApprovalHoursSetting = "PLANT_MIGRATE_APPROVAL_HOURS";
    public const string BackupSetting = "PLANT_BACKUP";
    public const string BackupDirectorySetting = "PLANT_BACKUP_DIR";
    public const string BackupKeepSetting = "PLANT_BACKUP_KEEP";
    public const string BackupTimeoutSetting = "PLANT_BACKUP_TIMEOUT_MINUTES";
    public const string CloudSqlInstanceSetting = "PLANT_CLOUDSQL_INSTANCE";
    public const string CloudSqlApiSetting = "PLANT_CLOUDSQL_API_URL";

    /// <summary>The variable Google's own client libraries read for the metadata server's address.</summary>
    public const string MetadataHostSetting = "GCE_METADATA_HOST";

    /// <summary>Every 15 minutes, at second 0 (NCRONTAB with seconds).</summary>
    public const string DefaultSchedule = "0 */15 * * * *";

    private const int MaximumApprovalHours = 24 * 30;
    private const int MaximumBackupKeep = 1000;
    private const int MaximumBackupTimeoutMinutes = 24 * 60;

    /// <summary>The NCRONTAB schedule of <c>MigrateOnSchedule</c> (<c>PLANT_MIGRATE_SCHEDULE</c>); the host parses it.</summary>
    public required string Schedule { get; init; }

    /// <summary>How long an approval can be used after it is given (<c>PLANT_MIGRATE_APPROVAL_HOURS</c>, default 24).</summary>
    public required TimeSpan ApprovalLifetime { get; init; }

    /// <summary>Where the backup before each run goes (<c>PLANT_BACKUP</c>).</summary>
    public required BackupKind Backup { get; init; }

    /// <summary>
    /// The folder of <see cref="BackupKind.PgDump"/> backups, absolute (<c>PLANT_BACKUP_DIR</c>, default <c>PLANT_LOCAL_DIR/backups</c>;
    /// a relative setting is taken from the checkout, <see cref="ProjectFolder"/>).
    /// </summary>
    public required string BackupDirectory { get; init; }

    /// <summary>How many pg_dump backups of a database are kept; older ones are removed (<c>PLANT_BACKUP_KEEP</c>, default 5).</summary>
    public required int BackupKeep { get; init; }

    /// <summary>How long a backup may take before the run gives up, applying nothing (<c>PLANT_BACKUP_TIMEOUT_MINUTES</c>, default 30).</summary>
    public required TimeSpan BackupTimeout { get; init; }

    /// <summary>
    /// The Cloud SQL instance as its connection name <c>PROJECT:REGION:INSTANCE</c> (<c>PLANT_CLOUDSQL_INSTANCE</c>);
    /// null to take it from a <c>DATABASE_URL</c> that connects through <c>/cloudsql/PROJECT:REGION:INSTANCE</c>.
    /// </summary>
    public required string? CloudSqlInstance { get; init; }

    /// <summary>The Cloud SQL Admin API's root (<c>PLANT_CLOUDSQL_API_URL</c>, default <c>https://sqladmin.googleapis.com/</c>).</summary>
    public required Uri CloudSqlApi { get; init; }

    /// <summary>The metadata server that hands out the service account's token (<c>GCE_METADATA_HOST</c>, default <c>metadata.google.internal</c>).</summary>
    public required string MetadataHost { get; init; }

    /// <summary>The defaults of an environment: pg_dump locally, Cloud SQL backups in the deployed environments.</summary>
    public static MigrationSettings Defaults(PlantEnvironment environment) => new()
    {
        Schedule = DefaultSchedule,
        ApprovalLifetime = TimeSpan.FromHours(24),
        Backup = environment == PlantEnvironment.Local ? BackupKind.PgDump : BackupKind.CloudSql,
        BackupDirectory = ProjectFolder.Resolve(Path.Combine(PlantSettings.DefaultLocalDirectory, "backups")),
        BackupKeep = 5,
        BackupTimeout = TimeSpan.FromMinutes(30),
        CloudSqlInstance = null,
        CloudSqlApi = new Uri("https://sqladmin.googleapis.com/"),
        MetadataHost = "metadata.google.internal",
    };

    /// <summary>The environment's defaults with every override that is set.</summary>
    /// <exception cref="ConfigurationException">A setting is malformed or not allowed in this environment.</exception>
    internal static MigrationSettings Load(IConfiguration configuration, PlantEnvironment environment)
    {
        var defaults = Defaults(environment);
        var backup = ReadBackupKind(configuration[BackupSetting]) ?? defaults.Backup;
        if (backup == BackupKind.None && environment == PlantEnvironment.Prod)
        {
            throw new ConfigurationException(BackupSetting, "'none' is not allowed in prod: every migration run is backed up first.");
        }

        var instance = configuration[CloudSqlInstanceSetting]?.Trim();
        if (!string.IsNullOrEmpty(instance) && CloudSqlInstanceName.TryParse(instance) is null)
        {
            throw new ConfigurationException(CloudSqlInstanceSetting, $"'{instance}' is not a connection name PROJECT:REGION:INSTANCE.");
        }

        return new MigrationSettings
        {
            Schedule = NonEmpty(configuration[ScheduleSetting]) ?? defaults.Schedule,
            ApprovalLifetime = Hours(PlantSettings.ReadWholeNumber(ApprovalHoursSetting, configuration[ApprovalHoursSetting], 1, MaximumApprovalHours)) ?? defaults.ApprovalLifetime,
            Backup = backup,
            BackupDirectory = NonEmpty(configuration[BackupDirectorySetting]) is { } folder
                ? ProjectFolder.Resolve(folder)
                : Path.Combine(PlantSettings.ReadLocalDirectory(configuration), "backups"),
            BackupKeep = PlantSettings.ReadWholeNumber(BackupKeepSetting, configuration[BackupKeepSetting], 1, MaximumBackupKeep) ?? defaults.BackupKeep,
            BackupTimeout = PlantSettings.ReadWholeNumber(BackupTimeoutSetting, configuration[BackupTimeoutSetting], 1, MaximumBackupTimeoutMinutes) is { } minutes
                ? TimeSpan.FromMinutes(minutes)
                : defaults.BackupTimeout,
            CloudSqlInstance = string.IsNullOrEmpty(instance) ? null : instance,
            CloudSqlApi = ReadUrl(configuration[CloudSqlApiSetting]) ?? defaults.CloudSqlApi,
            MetadataHost = NonEmpty(configuration[MetadataHostSetting]) ?? defaults.MetadataHost,
        };
    }

    private static BackupKind? ReadBackupKind(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" => null,
        "NONE" => BackupKind.None,
        "PG_DUMP" or "PGDUMP" => BackupKind.PgDump,
        "CLOUDSQL" => BackupKind.CloudSql,
        _ => throw new ConfigurationException(BackupSetting, $"'{value}' is not one of pg_dump, cloudsql, none."),
    };

    private static Uri? ReadUrl(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        // A trailing slash makes relative paths (v1/projects/...) append to the root instead of replacing its last segment.
        var text = value.Trim();
        return Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ConfigurationException(CloudSqlApiSetting, $"'{value}' is not an http or https URL.");
    }

    private static TimeSpan? Hours(int? hours) => hours is { } h ? TimeSpan.FromHours(h) : null;

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>A Cloud SQL instance's connection name, <c>PROJECT:REGION:INSTANCE</c>.</summary>
/// <param name="Project">The project id; a domain-scoped one keeps its colon (<c>example.com:project</c>).</param>
/// <param name="Region">The region, such as <c>europe-west1</c>.</param>
/// <param name="Instance">The instance name.</param>
public sealed record CloudSqlInstanceName(string Project, string Region, string Instance)
{
    /// <summary>Parses <c>PROJECT:REGION:INSTANCE</c>; null when it is not one.</summary>
    public static CloudSqlInstanceName? TryParse(string? connectionName)
    {
        var parts = (connectionName ?? "").Split(':');
        if (parts.Length < 3 || parts.Any(p => p.Length == 0 || p.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))))
        {
            return null;
        }

        return new CloudSqlInstanceName(string.Join(':', parts[..^2]), parts[^2], parts[^1]);
    }

    /// <summary>
    /// The instance a connection goes through, when its host is Cloud SQL's unix socket folder
    /// (<c>/cloudsql/PROJECT:REGION:INSTANCE</c>, as in the SQLAlchemy form of <c>DATABASE_URL</c>); otherwise null.
    /// </summary>
    public static CloudSqlInstanceName? FromSocketHost(string? host)
    {
        const string prefix = "/cloudsql/";
        return host is not null && host.StartsWith(prefix, StringComparison.Ordinal) ? TryParse(host[prefix.Length..].TrimEnd('/')) : null;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Project}:{Region}:{Instance}";
}

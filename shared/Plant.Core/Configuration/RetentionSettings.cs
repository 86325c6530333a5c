using Microsoft.Extensions.Configuration;

namespace Plant.Core.Configuration;

/// <summary>
/// The retention purge's settings beside <see cref="PlantSettings.RetentionDays"/> (which covers trials, superseded
/// entity versions and the host's bookkeeping): its schedule, the audit trail's and the migration records' own
/// retention, and how hard one run may work. Part of <see cref="PlantSettings"/> (<see cref="PlantSettings.Retention"/>);
/// docs/RETENTION.md and docs/ENVIRONMENTS.md list them.
/// </summary>
public sealed record RetentionSettings
{
    public const string ScheduleSetting = "PLANT_RETENTION_SCHEDULE";
    public const string AuditDaysSetting = "PLANT_AUDIT_RETENTION_DAYS";
    public const string MigrationLogDaysSetting = "PLANT_MIGRATION_LOG_RETENTION_DAYS";
    public const string TimeBudgetSetting = "PLANT_RETENTION_TIME_BUDGET_SECONDS";
    public const string StatementTargetSetting = "PLANT_RETENTION_STATEMENT_MS";

    /// <summary>Every day at 03:00:00 UTC (NCRONTAB with seconds).</summary>
    public const string DefaultSchedule = "0 0 3 * * *";

    private const int MaximumDays = 36500;

    // The host's functionTimeout is 5 minutes: a run stops starting batches after 4, leaving time for VACUUM and the report.
    private const int DefaultTimeBudgetSeconds = 240;
    private const int MaximumTimeBudgetSeconds = 24 * 3600;
    private const int DefaultStatementMs = 200;

    /// <summary>The NCRONTAB schedule of <c>PurgeExpiredData</c> (<c>PLANT_RETENTION_SCHEDULE</c>); the host parses it.</summary>
    public required string Schedule { get; init; }

    /// <summary>Days audit entries are kept before the purge cuts them at a signed checkpoint; null keeps them all (<c>PLANT_AUDIT_RETENTION_DAYS</c>).</summary>
    public required int? AuditDays { get; init; }

    /// <summary>Days the migration log and run records are kept; null keeps them all (<c>PLANT_MIGRATION_LOG_RETENTION_DAYS</c>). The history of applied versions is never purged.</summary>
    public required int? MigrationLogDays { get; init; }

    /// <summary>After this long a run starts no new batch; the next run carries on (<c>PLANT_RETENTION_TIME_BUDGET_SECONDS</c>).</summary>
    public required TimeSpan TimeBudget { get; init; }

    /// <summary>The time each delete statement aims at; batch sizes adapt to it (<c>PLANT_RETENTION_STATEMENT_MS</c>).</summary>
    public required TimeSpan StatementTarget { get; init; }

    /// <summary>
    /// The defaults of an environment: local keeps everything; demo keeps audit entries and migration records 30
    /// days; uat 365 and 90; prod keeps the audit trail until an operator sets its retention, and migration records a year.
    /// </summary>
    public static RetentionSettings Defaults(PlantEnvironment environment) => new()
    {
        Schedule = DefaultSchedule,
        AuditDays = environment switch
        {
            PlantEnvironment.Demo => 30,
            PlantEnvironment.Uat => 365,
            _ => null,
        },
        MigrationLogDays = environment switch
        {
            PlantEnvironment.Local => null,
            PlantEnvironment.Demo => 30,
            PlantEnvironment.Uat => 90,
            _ => 365,
        },
        TimeBudget = TimeSpan.FromSeconds(DefaultTimeBudgetSeconds),
        StatementTarget = TimeSpan.FromMilliseconds(DefaultStatementMs),
    };

    /// <summary>The environment's defaults with every override that is set.</summary>
    /// <exception cref="ConfigurationException">A setting is malformed or out of range.</exception>
    internal static RetentionSettings Load(IConfiguration configuration, PlantEnvironment environment)
    {
        var defaults = Defaults(environment);
        return new RetentionSettings
        {
            Schedule = string.IsNullOrWhiteSpace(configuration[ScheduleSetting]) ? defaults.Schedule : configuration[ScheduleSetting]!.Trim(),
            AuditDays = ReadDays(AuditDaysSetting, configuration[AuditDaysSetting], defaults.AuditDays),
            MigrationLogDays = ReadDays(MigrationLogDaysSetting, configuration[MigrationLogDaysSetting], defaults.MigrationLogDays),
            TimeBudget = PlantSettings.ReadWholeNumber(TimeBudgetSetting, configuration[TimeBudgetSetting], 1, MaximumTimeBudgetSeconds) is { } seconds
                ? TimeSpan.FromSeconds(seconds)
                : defaults.TimeBudget,
            StatementTarget = PlantSettings.ReadWholeNumber(StatementTargetSetting, configuration[StatementTargetSetting], 10, 60_000) is { } ms
                ? TimeSpan.FromMilliseconds(ms)
                : defaults.StatementTarget,
        };
    }

    /// <summary>A number of days, or <c>none</c> to keep everything.</summary>
    private static int? ReadDays(string setting, string? value, int? fallback)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        return string.Equals(value.Trim(), "none", StringComparison.OrdinalIgnoreCase)
            ? null
            : PlantSettings.ReadWholeNumber(setting, value, 1, MaximumDays);
    }
}

using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Plant.Core.Configuration;

/// <summary>How schema migrations reach an environment.</summary>
public enum MigrationPolicy
{
    /// <summary>The Migrate function applies pending migrations on its schedule.</summary>
    Auto,

    /// <summary>An operator runs <c>up</c>; nothing is applied on a schedule.</summary>
    Manual,

    /// <summary>As manual, and the run must be approved first (the Migrate function's approval step).</summary>
    Approval,
}

/// <summary>The log line format an environment defaults to.</summary>
public enum LogFormat
{
    /// <summary>Readable text lines.</summary>
    Text,

    /// <summary>One JSON object per line with Cloud Logging's <c>severity</c>.</summary>
    Json,
}

/// <summary>
/// The per-environment settings of a Plant process, read in one place (<see cref="Load"/>) from
/// <c>PLANT_ENVIRONMENT</c>, the environment's defaults (<see cref="Defaults"/>, the table in
/// docs/ENVIRONMENTS.md) and the variables that override them.
/// </summary>
public sealed record PlantSettings
{
    public const string SigningKeyBitsSetting = "PLANT_SIGNING_KEY_BITS";
    public const string RetentionDaysSetting = "PLANT_RETENTION_DAYS";
    public const string MigrationPolicySetting = "PLANT_MIGRATION_POLICY";
    public const string LogFormatSetting = "PLANT_LOG_FORMAT";
    public const string SeedAllowedSetting = "PLANT_SEED_ALLOWED";
    public const string TrialDaysSetting = "PLANT_TRIAL_DAYS";
    public const string DebugSetting = "PLANT_DEBUG";
    public const string SigningKeyIdSetting = "PLANT_SIGNING_KEY_ID";
    public const string LocalDirectorySetting = "PLANT_LOCAL_DIR";

    /// <summary>The local folder's default, relative to the checkout (<see cref="ProjectFolder"/>); git-ignored.</summary>
    public const string DefaultLocalDirectory = ".plant";

    /// <summary>The smallest RSA signing key accepted anywhere.</summary>
    public const int MinimumSigningKeyBits = 2048;

    private const int MaximumSigningKeyBits = 16384;
    private const int MaximumRetentionDays = 36500;
    private const int MaximumTrialDays = 365;

    // The one table of per-environment defaults. docs/ENVIRONMENTS.md shows the same table; keep them together.
    // Retention: null means "keep everything" where a default applies, and "must be set" where RetentionRequired.
    private static readonly Dictionary<PlantEnvironment, PlantSettings> s_defaults = new()
    {
        [PlantEnvironment.Local] = new() { Environment = PlantEnvironment.Local, SigningKeyBits = 2048, RetentionDays = null, RetentionRequired = false, MigrationPolicy = MigrationPolicy.Auto, LogFormat = LogFormat.Text, SeedAllowed = true, TrialDays = 7, Debug = true },
        [PlantEnvironment.Demo] = new() { Environment = PlantEnvironment.Demo, SigningKeyBits = 4096, RetentionDays = 7, RetentionRequired = false, MigrationPolicy = MigrationPolicy.Auto, LogFormat = LogFormat.Json, SeedAllowed = true, TrialDays = 7, Debug = false },
        [PlantEnvironment.Uat] = new() { Environment = PlantEnvironment.Uat, SigningKeyBits = 4096, RetentionDays = null, RetentionRequired = true, MigrationPolicy = MigrationPolicy.Manual, LogFormat = LogFormat.Json, SeedAllowed = false, TrialDays = 7, Debug = false },
        [PlantEnvironment.Prod] = new() { Environment = PlantEnvironment.Prod, SigningKeyBits = 4096, RetentionDays = null, RetentionRequired = true, MigrationPolicy = MigrationPolicy.Approval, LogFormat = LogFormat.Json, SeedAllowed = false, TrialDays = 7, Debug = false },
    };

    /// <summary>The environment these settings belong to.</summary>
    public required PlantEnvironment Environment { get; init; }

    /// <summary>RSA key size for certificate signing keys (<c>PLANT_SIGNING_KEY_BITS</c>).</summary>
    public required int SigningKeyBits { get; init; }

    /// <summary>
    /// Days expired data is kept before the retention purge removes it (<c>PLANT_RETENTION_DAYS</c>); null keeps
    /// everything, or, where <see cref="RetentionRequired"/>, is not set (<see cref="RequireRetentionDays"/>).
    /// </summary>
    public required int? RetentionDays { get; init; }

    /// <summary>True where <c>PLANT_RETENTION_DAYS</c> has no default and must be set (uat, prod).</summary>
    public required bool RetentionRequired { get; init; }

    /// <summary>How migrations are applied (<c>PLANT_MIGRATION_POLICY</c>).</summary>
    public required MigrationPolicy MigrationPolicy { get; init; }

    /// <summary>The environment's log format (<c>PLANT_LOG_FORMAT</c>).</summary>
    public required LogFormat LogFormat { get; init; }

    /// <summary>Whether the Genesis baseline seed may run (<c>PLANT_SEED_ALLOWED</c>); never in prod.</summary>
    public required bool SeedAllowed { get; init; }

    /// <summary>Length of an agent trial in days (<c>PLANT_TRIAL_DAYS</c>).</summary>
    public required int TrialDays { get; init; }

    /// <summary>Debug detail in logs and problem responses (<c>PLANT_DEBUG</c>).</summary>
    public required bool Debug { get; init; }

    /// <summary>
    /// The id of the signing key (<c>PLANT_SIGNING_KEY_ID</c>); null names it by its public key's fingerprint.
    /// The key itself is a secret and is read by the signing key ring as it loads, not kept here.
    /// </summary>
    public string? SigningKeyId { get; init; }

    /// <summary>
    /// Where local runs keep generated keys and backups (<c>PLANT_LOCAL_DIR</c>, default <c>.plant</c>), as an
    /// absolute path: a relative setting is taken from the checkout, never from the working folder (<see cref="ProjectFolder"/>).
    /// </summary>
    public string LocalDirectory { get; init; } = ProjectFolder.Resolve(DefaultLocalDirectory);

    /// <summary>The Migrate function's schedule, approvals and backups (docs/MIGRATIONS.md).</summary>
    public MigrationSettings Migrations { get; init; } = MigrationSettings.Defaults(PlantEnvironment.Local);

    /// <summary>The retention purge's schedule, the audit trail's and migration records' retention, and its limits (docs/RETENTION.md).</summary>
    public RetentionSettings Retention { get; init; } = RetentionSettings.Defaults(PlantEnvironment.Local);

    /// <summary>The defaults of <paramref name="environment"/>, before any override.</summary>
    public static PlantSettings Defaults(PlantEnvironment environment) =>
        s_defaults[environment] with { Migrations = MigrationSettings.Defaults(environment), Retention = RetentionSettings.Defaults(environment) };

    /// <summary>
    /// Reads <c>PLANT_ENVIRONMENT</c>, starts from its defaults and applies every override that is set.
    /// </summary>
    /// <exception cref="ConfigurationException">A setting is malformed, out of range, or required and missing.</exception>
    public static PlantSettings Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // Every bad setting is reported, not just the first: each is read on its own, and a bad one takes its default.
        var problems = new SettingsProblems();
        var defaults = Defaults(problems.Read(() => PlantEnvironments.Parse(configuration[PlantEnvironments.SettingName]), PlantEnvironment.Local));
        var settings = defaults with
        {
            SigningKeyBits = problems.Read(() => ReadSigningKeyBits(configuration[SigningKeyBitsSetting]), null) ?? defaults.SigningKeyBits,
            RetentionDays = problems.Read(() => ReadRetentionDays(configuration[RetentionDaysSetting], defaults), defaults.RetentionDays),
            MigrationPolicy = problems.Read(() => ReadMigrationPolicy(configuration[MigrationPolicySetting]), null) ?? defaults.MigrationPolicy,
            LogFormat = problems.Read(() => ReadLogFormat(configuration[LogFormatSetting]), null) ?? defaults.LogFormat,
            SeedAllowed = problems.Read(() => ReadBoolean(SeedAllowedSetting, configuration[SeedAllowedSetting]), null) ?? defaults.SeedAllowed,
            TrialDays = problems.Read(() => ReadWholeNumber(TrialDaysSetting, configuration[TrialDaysSetting], 1, MaximumTrialDays), null) ?? defaults.TrialDays,
            Debug = problems.Read(() => ReadBoolean(DebugSetting, configuration[DebugSetting]), null) ?? defaults.Debug,
            SigningKeyId = problems.Read(() => ReadSigningKeyId(configuration[SigningKeyIdSetting]), null),
            LocalDirectory = ReadLocalDirectory(configuration),
            Migrations = problems.Read(() => MigrationSettings.Load(configuration, defaults.Environment), defaults.Migrations),
            Retention = problems.Read(() => RetentionSettings.Load(configuration, defaults.Environment), defaults.Retention),
        };

        if (settings.Environment == PlantEnvironment.Prod && settings.MigrationPolicy != MigrationPolicy.Approval)
        {
            problems.Add(new ConfigurationException(MigrationPolicySetting, "prod applies only plans an operator approved: remove the setting or set it to approval."));
        }

        if (settings.Environment == PlantEnvironment.Prod && settings.SeedAllowed)
        {
            problems.Add(new ConfigurationException(SeedAllowedSetting, "the seed is never allowed in prod; remove the setting."));
        }

        problems.ThrowIfAny();
        return settings;
    }

    /// <summary>
    /// These settings, for what purges expired data: where retention has no default (uat, prod), <c>PLANT_RETENTION_DAYS</c>
    /// must be set. Only the Migrate app purges, so only it requires the setting.
    /// </summary>
    /// <exception cref="ConfigurationException">The days are required here and not set.</exception>
    public PlantSettings RequireRetentionDays() =>
        RetentionRequired && RetentionDays is null
            ? throw new ConfigurationException(RetentionDaysSetting, $"required in {EnvironmentName(Environment)}: set the number of days data is kept.")
            : this;

    /// <summary><c>PLANT_LOCAL_DIR</c> as an absolute path (<see cref="ProjectFolder"/>); the backups' default folder is inside it.</summary>
    internal static string ReadLocalDirectory(IConfiguration configuration) =>
        ProjectFolder.Resolve(configuration[LocalDirectorySetting] is { Length: > 0 } folder && folder.Trim().Length > 0 ? folder.Trim() : DefaultLocalDirectory);

    private static int? ReadSigningKeyBits(string? value)
    {
        var bits = ReadWholeNumber(SigningKeyBitsSetting, value, MinimumSigningKeyBits, MaximumSigningKeyBits);
        return bits is null || bits % 1024 == 0
            ? bits
            : throw new ConfigurationException(SigningKeyBitsSetting, $"'{value}' is not a multiple of 1024.");
    }

    private static string? ReadSigningKeyId(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        SigningKeyIds.Check(SigningKeyIdSetting, value.Trim());
        return value.Trim();
    }

    private static int? ReadRetentionDays(string? value, PlantSettings defaults)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            // Required where RetentionRequired, but only by what purges (RequireRetentionDays).
            return defaults.RetentionDays;
        }

        if (string.Equals(value.Trim(), "none", StringComparison.OrdinalIgnoreCase))
        {
            return defaults.RetentionRequired
                ? throw new ConfigurationException(RetentionDaysSetting, $"'none' is not allowed in {EnvironmentName(defaults.Environment)}: set a positive number of days.")
                : null;
        }

        return ReadWholeNumber(RetentionDaysSetting, value, 1, MaximumRetentionDays);
    }

    private static MigrationPolicy? ReadMigrationPolicy(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" => null,
        "AUTO" => MigrationPolicy.Auto,
        "MANUAL" => MigrationPolicy.Manual,
        "APPROVAL" => MigrationPolicy.Approval,
        _ => throw new ConfigurationException(MigrationPolicySetting, $"'{value}' is not one of auto, manual, approval."),
    };

    private static LogFormat? ReadLogFormat(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" => null,
        "TEXT" => LogFormat.Text,
        "JSON" => LogFormat.Json,
        _ => throw new ConfigurationException(LogFormatSetting, $"'{value}' is not json or text."),
    };

    private static bool? ReadBoolean(string setting, string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" => null,
        "TRUE" or "1" or "YES" => true,
        "FALSE" or "0" or "NO" => false,
        _ => throw new ConfigurationException(setting, $"'{value}' is not true or false."),
    };

    internal static int? ReadWholeNumber(string setting, string? value, int minimum, int maximum)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= minimum && number <= maximum
            ? number
            : throw new ConfigurationException(setting, $"'{value}' is not a whole number between {minimum} and {maximum}.");
    }

    private static string EnvironmentName(PlantEnvironment environment) => environment.ToString().ToLowerInvariant();
}

using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Plant.Core.Audit;
using Plant.Core.Backups;
using Plant.Core.Configuration;
using Plant.Core.Data;
using Plant.Core.Embeddings;
using Plant.Core.Migrations;
using Plant.Core.Migrations.Runs;
using Plant.Core.Migrations.Smoke;
using Plant.Core.Seed;
using Plant.Core.Signing;
using Plant.Hosting;

namespace Plant.Migrate;

/// <summary>
/// <c>status | plan [--to V] | up [--to V] [--approval ID] | down --to V [--approval ID] | approve [--to V] [--checksum C] [--by NAME] [--note TEXT] | seed</c>,
/// run against <c>DATABASE_URL</c>. Exit code 0 on success, 1 when the operation fails or is refused, 2 for a
/// usage error. Errors are one line on stderr, without a stack trace and without the password.
/// </summary>
/// <remarks>
/// Every command but <c>seed</c> goes through the same pipeline as the Migrate function's timer and routes:
/// <c>status</c> and <c>plan</c> are its reads; <c>up</c> and <c>down</c> its runs (backup, smoke checks, undo on
/// failure, run record), under the environment's policy: where it needs an approval, <c>up</c> applies only an
/// approved plan; in uat and prod, <c>down</c> to 0, or one that drops a table holding rows, needs one too. <c>seed</c> writes the Genesis baseline where the environment allows it
/// (local, demo); it never migrates.
/// </remarks>
public static class MigrateCommandLine
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int UsageError = 2;

    /// <summary>An operator at a terminal, or a CI job: waiting a little for another run is better than failing at once.</summary>
    private static readonly TimeSpan s_lockWait = TimeSpan.FromSeconds(30);

    private const string Usage =
        "usage: Plant.Migrate status | plan [--to V] | up [--to V] [--approval ID] | down --to V [--approval ID] | approve [--to V] [--checksum C] [--by NAME] [--note TEXT] | seed   (with DATABASE_URL set)";

    private static readonly Dictionary<string, string[]> s_options = new()
    {
        ["status"] = [],
        ["seed"] = [],
        ["plan"] = ["--to"],
        ["up"] = ["--to", "--approval"],
        ["down"] = ["--to", "--approval"],
        ["approve"] = ["--to", "--checksum", "--by", "--note"],
    };

    /// <summary>True when the arguments are a command this line runs, with options it takes (the deploy descriptors are held to it).</summary>
    public static bool IsValid(string[] args) => TryParse(args, out _, out _);

    /// <summary>True when the arguments ask for a command rather than for the function host.</summary>
    public static bool IsCommand(string[] args) => args is [var first, ..] && !first.StartsWith('-');

    /// <summary>Runs a command with the settings of the process environment (a secret may come from its <c>_FILE</c>, as for the host).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var configuration = new ConfigurationManager();
        configuration.AddEnvironmentVariables();
        try
        {
            SecretFiles.AddTo(configuration);
        }
        catch (StartupException e)
        {
            await error.WriteLineAsync(e.Message.ReplaceLineEndings(" "));
            return 1;
        }

        return await RunAsync(args, configuration, output, error);
    }

    /// <summary>Runs a command.</summary>
    /// <param name="args">The command and its options.</param>
    /// <param name="configuration">The settings (<c>DATABASE_URL</c>, <c>PLANT_ENVIRONMENT</c>...).</param>
    /// <param name="output">Where results go.</param>
    /// <param name="error">Where the one-line error goes.</param>
    /// <param name="migrations">The migrations; <see cref="MigrationSet.Embedded"/> unless testing.</param>
    public static async Task<int> RunAsync(string[] args, IConfiguration configuration, TextWriter output, TextWriter error, MigrationSet? migrations = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!TryParse(args, out var command, out var options))
        {
            await error.WriteLineAsync(Usage);
            return UsageError;
        }

        migrations ??= MigrationSet.Embedded;
        string? password = null;
        try
        {
            var environment = PlantEnvironments.Parse(configuration[PlantEnvironments.SettingName]);
            // Refused before DATABASE_URL is even read: a prod seed must not depend on the database being reachable.
            if (command == "seed" && environment == PlantEnvironment.Prod)
            {
                await error.WriteLineAsync("seed: refused in prod: the Genesis baseline is only seeded in local and demo.");
                return Failure;
            }

            var connection = PlantDataSource.ReadConnectionSettings(configuration, "plant-migrate");
            password = connection.Password;
            await using var dataSource = PlantDataSource.Create(connection);
            // status and plan only read: they need no backup and append nothing to the audit trail.
            MigrationPipeline Reader() => new(dataSource, migrations, PlantSettings.Load(configuration), backup: null);
            return command switch
            {
                "status" => await StatusAsync(Reader(), dataSource, output),
                "plan" => await PlanAsync(Reader(), Version(options, "--to"), output),
                "seed" => await SeedAsync(dataSource, configuration, output),
                _ => await RunPipelineAsync(command, options, dataSource, migrations, configuration, connection, output, error),
            };
        }
        catch (Exception e)
        {
            // Expected failures print their message alone; anything else also names its type. Never a stack trace.
            var expected = e is ConfigurationException or MigrationException or MigrationRefusedException or SeedException or EmbedderException or NpgsqlException or TimeoutException;
            var message = (expected ? e.Message : $"{e.GetType().Name}: {e.Message}").ReplaceLineEndings(" ");
            if (!string.IsNullOrEmpty(password))
            {
                message = message.Replace(password, "***", StringComparison.Ordinal);
            }

            await error.WriteLineAsync($"{command}: {message}");
            return Failure;
        }
    }

    private static async Task<int> RunPipelineAsync(
        string command,
        Dictionary<string, string> options,
        NpgsqlDataSource dataSource,
        MigrationSet migrations,
        IConfiguration configuration,
        NpgsqlConnectionStringBuilder connection,
        TextWriter output,
        TextWriter error)
    {
        // The same pipeline as the function's, audit trail included: its runs and approvals are recorded there too.
        var settings = PlantSettings.Load(configuration);
        using var keys = SigningKeyRing.Load(configuration, settings);
        var pipeline = new MigrationPipeline(dataSource, migrations, settings, DatabaseBackups.Create(settings.Migrations, connection, TimeProvider.System),
            audit: new AuditTrail(dataSource, keys, NullLogger<AuditTrail>.Instance));

        if (command == "approve")
        {
            var by = options.GetValueOrDefault("--by") ?? $"{Environment.UserName}@{Environment.MachineName}";
            var approval = await pipeline.ApproveAsync(
                new ApprovalRequest(Version(options, "--to"), options.GetValueOrDefault("--checksum"), by, options.GetValueOrDefault("--note")) { LockWait = s_lockWait });
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"approved: {MigrationRuns.Name(approval.Operation)} to V{Migration.FormatVersion(approval.TargetVersion)} plan {approval.PlanChecksum} ({Migration.FormatVersions(approval.Versions)})"));
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  approval {approval.Id} by {approval.ApprovedBy}, usable once until {approval.ExpiresAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}"));
            return Success;
        }

        Guid? approvalId = null;
        if (options.TryGetValue("--approval", out var id))
        {
            approvalId = Guid.TryParse(id, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw new MigrationException($"--approval '{id}' is not an approval id.");
        }

        var report = await pipeline.RunAsync(new MigrationRunRequest
        {
            Operation = command == "up" ? MigrationOperation.Up : MigrationOperation.Down,
            Trigger = MigrationTrigger.Cli,
            RequestedBy = $"cli:{Environment.UserName}@{Environment.MachineName}",
            Target = Version(options, "--to"),
            ApprovalId = approvalId,
            LockWait = s_lockWait,
        });
        await WriteReportAsync(report, output);
        if (report.Outcome is MigrationRunOutcome.Succeeded or MigrationRunOutcome.NothingToDo)
        {
            return Success;
        }

        await error.WriteLineAsync($"{command}: {report.Message}".ReplaceLineEndings(" "));
        return Failure;
    }

    private static async Task WriteReportAsync(MigrationRunReport report, TextWriter output)
    {
        var operation = report.Operation == MigrationOperation.Up ? "up" : "down";
        var what = report.Outcome switch
        {
            MigrationRunOutcome.NothingToDo => "nothing to do",
            MigrationRunOutcome.Succeeded => Migration.FormatVersions(report.Ran),
            _ => MigrationRuns.Name(report.Outcome),
        };
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{operation} {Migration.FormatVersion(report.FromVersion)} -> {Migration.FormatVersion(report.ToVersion)}: {what} ({(report.FinishedAt - report.StartedAt).TotalMilliseconds:0} ms)"));
        if (report.Backup is { } backup)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  backup  {backup.Kind} {backup.Location}{(backup.SizeBytes is { } size ? $" ({size} bytes)" : "")}"));
        }

        foreach (var check in report.SmokeChecks)
        {
            await output.WriteLineAsync($"  smoke   {MigrationRuns.Name(check.Status),-7} {check.Name}: {check.Detail}");
        }

        if (report.Outcome != MigrationRunOutcome.Busy)
        {
            await output.WriteLineAsync($"  run     {report.RunId} {MigrationRuns.Name(report.Outcome)}");
        }
    }

    private static bool TryParse(string[] args, out string command, out Dictionary<string, string> options)
    {
        command = args.Length > 0 ? args[0] : "";
        options = [];
        if (!s_options.TryGetValue(command, out var allowed))
        {
            return false;
        }

        for (var i = 1; i < args.Length; i += 2)
        {
            if (!allowed.Contains(args[i]) || i + 1 >= args.Length || !options.TryAdd(args[i], args[i + 1]))
            {
                return false;
            }
        }

        if (options.TryGetValue("--to", out var to) && !TryParseVersion(to, out _))
        {
            return false;
        }

        return command != "down" || options.ContainsKey("--to");
    }

    private static int? Version(Dictionary<string, string> options, string name) =>
        options.TryGetValue(name, out var text) && TryParseVersion(text, out var version) ? version : null;

    /// <summary>Accepts 3, 0003 and V0003.</summary>
    private static bool TryParseVersion(string text, out int version)
    {
        var digits = text.StartsWith('V') || text.StartsWith('v') ? text[1..] : text;
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out version);
    }

    private static async Task<int> StatusAsync(MigrationPipeline pipeline, NpgsqlDataSource dataSource, TextWriter output)
    {
        var status = await pipeline.StatusAsync(recent: 0);
        await output.WriteLineAsync($"current version: {Migration.FormatVersion(status.CurrentVersion)} (latest {Migration.FormatVersion(status.LatestVersion)})");
        foreach (var applied in status.History)
        {
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"  applied  V{Migration.FormatVersion(applied.Version)} {applied.Description,-24} {applied.Checksum} {applied.AppliedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} by {applied.AppliedBy} in {applied.DurationMs} ms{(applied.Success ? "" : " FAILED")}"));
        }

        foreach (var pending in status.Pending)
        {
            await output.WriteLineAsync($"  pending  V{Migration.FormatVersion(pending.Version)} {pending.Description,-24} {pending.Checksum}");
        }

        foreach (var problem in status.Problems)
        {
            await output.WriteLineAsync($"  problem  {problem}");
        }

        // The log, in the previous backend's line format, so that an operator reads runs as before (status's own line last).
        var log = await MigrationLog.ReadRecentLinesAsync(dataSource);
        if (log.Count > 0)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"log (last {log.Count}, oldest first):"));
            foreach (var line in log)
            {
                await output.WriteLineAsync($"  {line}");
            }
        }

        return status.Problems.Count == 0 ? Success : Failure;
    }

    private static async Task<int> PlanAsync(MigrationPipeline pipeline, int? target, TextWriter output)
    {
        var preview = await pipeline.PlanAsync(target);
        var plan = preview.Plan;
        if (plan.IsEmpty)
        {
            await output.WriteLineAsync("nothing to apply");
            return Success;
        }

        var up = plan.Operation == MigrationOperation.Up;
        foreach (var migration in plan.Migrations)
        {
            var (checksum, inTransaction, sql) = up
                ? (migration.Checksum, migration.UpInTransaction, migration.UpSql)
                : (migration.DownChecksum, migration.DownInTransaction, migration.DownSql!);
            await output.WriteLineAsync($"-- V{migration.Label} {migration.Description}{(up ? "" : ", down")} (sha256 {checksum}{(inTransaction ? "" : ", no transaction")})");
            await output.WriteLineAsync(sql.TrimEnd());
            await output.WriteLineAsync();
        }

        foreach (var drop in preview.Drops)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"drops {drop.Table}: {drop.Rows} rows"));
        }

        // What an approval names: the target and the checksum of exactly these scripts.
        await output.WriteLineAsync($"{(up ? "plan" : "rollback plan")} to V{Migration.FormatVersion(plan.TargetVersion)}: checksum {plan.Checksum}{(preview.ApprovalRequired ? " (needs an approval)" : "")}");
        return Success;
    }

    private static async Task<int> SeedAsync(NpgsqlDataSource dataSource, IConfiguration configuration, TextWriter output)
    {
        var settings = PlantSettings.Load(configuration);
        var embedder = Embedders.FromConfiguration(configuration);
        // The seed goes through Genesis's certification: its certificates are signed with the key Genesis uses.
        using var keys = SigningKeyRing.Load(configuration, settings);
        var result = await new CatalogSeeder(dataSource, embedder, settings, keys).SeedAsync();
        var inserted = result.Inserted;
        await output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"seed at {Migration.FormatVersion(result.SchemaVersion)}: inserted {inserted.Total} ({inserted.Industries} industries, {inserted.Skills} skills, {inserted.JobRoles} job roles, {inserted.Teams} teams, {inserted.Agents} agents), {result.AlreadyPresent} already present ({result.Duration.TotalMilliseconds:0} ms)"));
        return Success;
    }
}

using System.Globalization;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Plant.Core.Configuration;
using Plant.Core.Data;
using Plant.Core.Embeddings;
using Plant.Core.Migrations;
using Plant.Core.Seed;
using Plant.Core.Signing;

namespace Plant.Migrate;

/// <summary>
/// <c>status | plan [--to V] | up [--to V] | down --to V | seed</c>, run against <c>DATABASE_URL</c>. Exit code 0 on
/// success, 1 when the operation fails or is refused, 2 for a usage error. Errors are one line on stderr, without a
/// stack trace and without the password.
/// </summary>
/// <remarks>
/// <c>seed</c> writes the Genesis baseline where the environment allows it (local, demo). It never migrates: with
/// pending migrations it exits 1 and asks for <c>up</c> first, whatever the migration policy, so that a command
/// named seed changes no schema.
/// </remarks>
public static class MigrateCommandLine
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int UsageError = 2;

    private const string Usage = "usage: Plant.Migrate status | plan [--to V] | up [--to V] | down --to V | seed   (with DATABASE_URL set)";

    /// <summary>True when the arguments ask for a command rather than for the function host.</summary>
    public static bool IsCommand(string[] args) => args is [var first, ..] && !first.StartsWith('-');

    /// <summary>Runs a command.</summary>
    /// <param name="args">The command and its options.</param>
    /// <param name="output">Where results go.</param>
    /// <param name="error">Where the one-line error goes.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!TryParse(args, out var command, out var target))
        {
            await error.WriteLineAsync(Usage);
            return UsageError;
        }

        string? password = null;
        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
            var environment = PlantEnvironments.Parse(configuration[PlantEnvironments.SettingName]);
            // Refused before DATABASE_URL is even read: a prod seed must not depend on the database being reachable.
            if (command == "seed" && environment == PlantEnvironment.Prod)
            {
                await error.WriteLineAsync("seed: refused in prod: the Genesis baseline is only seeded in local and demo.");
                return Failure;
            }

            var settings = PlantDataSource.ReadConnectionSettings(configuration, "plant-migrate");
            password = settings.Password;
            var options = new MigratorOptions { Environment = environment };
            await using var dataSource = PlantDataSource.Create(settings);
            var migrator = new Migrator(dataSource, MigrationSet.Embedded, options);
            return command switch
            {
                "status" => await StatusAsync(migrator, output),
                "plan" => await PlanAsync(migrator, target, output),
                "up" => Report(await migrator.UpAsync(target), "up", output),
                "seed" => await SeedAsync(dataSource, configuration, output),
                _ => Report(await migrator.DownAsync(target!.Value), "down", output),
            };
        }
        catch (Exception e)
        {
            // Expected failures print their message alone; anything else also names its type. Never a stack trace.
            var expected = e is ConfigurationException or MigrationException or SeedException or EmbedderException or NpgsqlException or TimeoutException;
            var message = (expected ? e.Message : $"{e.GetType().Name}: {e.Message}").ReplaceLineEndings(" ");
            if (!string.IsNullOrEmpty(password))
            {
                message = message.Replace(password, "***", StringComparison.Ordinal);
            }

            await error.WriteLineAsync($"{command}: {message}");
            return Failure;
        }
    }

    private static bool TryParse(string[] args, out string command, out int? target)
    {
        command = args.Length > 0 ? args[0] : "";
        target = null;
        if (args.Length == 3 && args[1] == "--to")
        {
            if (!TryParseVersion(args[2], out var version))
            {
                return false;
            }

            target = version;
        }
        else if (args.Length != 1)
        {
            return false;
        }

        return command switch
        {
            "status" or "seed" => target is null,
            "plan" or "up" => true,
            "down" => target is not null,
            _ => false,
        };
    }

    /// <summary>Accepts 3, 0003 and V0003.</summary>
    private static bool TryParseVersion(string text, out int version)
    {
        var digits = text.StartsWith('V') || text.StartsWith('v') ? text[1..] : text;
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out version);
    }

    private static async Task<int> StatusAsync(Migrator migrator, TextWriter output)
    {
        var status = await migrator.StatusAsync();
        await output.WriteLineAsync($"current version: {Migration.FormatVersion(status.CurrentVersion)} (latest {Migration.FormatVersion(status.LatestVersion)})");
        foreach (var applied in status.Applied)
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

        return status.Problems.Count == 0 ? Success : Failure;
    }

    private static async Task<int> PlanAsync(Migrator migrator, int? target, TextWriter output)
    {
        var pending = await migrator.PlanAsync(target);
        if (pending.Count == 0)
        {
            await output.WriteLineAsync("nothing to apply");
        }

        foreach (var migration in pending)
        {
            await output.WriteLineAsync($"-- V{Migration.FormatVersion(migration.Version)} {migration.Description} (sha256 {migration.Checksum}{(migration.InTransaction ? "" : ", no transaction")})");
            await output.WriteLineAsync(migration.Sql.TrimEnd());
            await output.WriteLineAsync();
        }

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

    private static int Report(MigrationRunResult result, string operation, TextWriter output)
    {
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{operation} {Migration.FormatVersion(result.FromVersion)} -> {Migration.FormatVersion(result.ToVersion)}: {(result.Versions.Count == 0 ? "nothing to do" : string.Join(", ", result.Versions.Select(v => "V" + Migration.FormatVersion(v))))} ({result.Duration.TotalMilliseconds:0} ms)"));
        return Success;
    }
}

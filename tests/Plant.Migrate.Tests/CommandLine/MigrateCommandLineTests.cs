using System.Diagnostics;
using System.Reflection;
using Plant.Testing;
using Plant.Core.Migrations;

namespace Plant.Migrate.Tests.CommandLine;

/// <summary>Runs the built functions/Migrate executable as a child process, as an operator would.</summary>
public sealed class MigrateCommandLineTests
{
    [Fact]
    public async Task Status_plan_up_and_down_exit_zero_and_change_the_database_as_asked()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_cli");

        var status = await RunAsync(db.ConnectionString, "status");
        var plan = await RunAsync(db.ConnectionString, "plan");
        var upTo1 = await RunAsync(db.ConnectionString, "up", "--to", "1");
        var up = await RunAsync(db.ConnectionString, "up");
        var statusAfter = await RunAsync(db.ConnectionString, "status");
        var down = await RunAsync(db.ConnectionString, "down", "--to", "0");

        // The embedded set grows with each area's migrations: the expected lines follow it.
        var latest = Migration.FormatVersion(MigrationSet.Embedded.Latest);
        var afterFirst = MigrationSet.Embedded.Migrations.Skip(1).Select(m => "V" + Migration.FormatVersion(m.Version)).ToList();
        var all = MigrationSet.Embedded.Migrations.Select(m => "V" + Migration.FormatVersion(m.Version)).Reverse();
        Assert.Equal((0, ""), (status.ExitCode, status.Error));
        Assert.Contains($"current version: 0000 (latest {latest})", status.Output, StringComparison.Ordinal);
        Assert.Contains("pending  V0001 catalog base", status.Output, StringComparison.Ordinal);
        Assert.Equal(0, plan.ExitCode);
        Assert.Contains("create table catalog.entity_version", plan.Output, StringComparison.Ordinal);
        Assert.Equal(0, upTo1.ExitCode);
        Assert.Contains("up 0000 -> 0001: V0001", upTo1.Output, StringComparison.Ordinal);
        Assert.Equal(0, up.ExitCode);
        Assert.Contains($"up 0001 -> {latest}: {string.Join(", ", afterFirst)}", up.Output, StringComparison.Ordinal);
        Assert.Contains($"current version: {latest} (latest {latest})", statusAfter.Output, StringComparison.Ordinal);
        Assert.Equal(0, down.ExitCode);
        Assert.Contains($"down {latest} -> 0000: {string.Join(", ", all)}", down.Output, StringComparison.Ordinal);
        Assert.Empty(await db.HistoryAsync());
    }

    [Theory]
    [InlineData("migrate")]
    [InlineData("down")]
    [InlineData("up", "--to")]
    [InlineData("up", "--to", "latest")]
    [InlineData("status", "--to", "1")]
    [InlineData("up", "--from", "1")]
    public async Task Bad_arguments_print_the_usage_and_exit_2(params string[] args)
    {
        var result = await RunAsync("Host=127.0.0.1;Database=unused", args);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("usage: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_database_url_exits_1_naming_the_setting_without_the_password()
    {
        var result = await RunAsync("postgresql://plant:S3cretPw%21@db.example:notaport/plant", "status");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("DATABASE_URL", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("S3cretPw", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_refused_run_exits_1_with_one_line_naming_the_version()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_cli_refused");
        Assert.Equal(0, (await RunAsync(db.ConnectionString, "up")).ExitCode);
        await db.ExecuteAsync("update plant_migrations.history set checksum = repeat('0', 64) where version = 1");

        var result = await RunAsync(db.ConnectionString, "up");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("V0001", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_runner_process_killed_mid_migration_leaves_version_0_and_the_next_run_finishes()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_cli_killed");
        // An uncommitted CREATE SCHEMA catalog makes V0001's own CREATE SCHEMA wait inside its transaction.
        await using var blocker = await db.DataSource.OpenConnectionAsync();
        await using var blocking = await blocker.BeginTransactionAsync();
        await using (var create = new Npgsql.NpgsqlCommand("create schema catalog", blocker, blocking))
        {
            await create.ExecuteNonQueryAsync();
        }

        using var runner = Start(db.ConnectionString, "up");
        var waiting = false;
        for (var i = 0; i < 200 && !waiting; i++)
        {
            await Task.Delay(50);
            waiting = await db.ScalarAsync<long>(
                "select count(*) from pg_stat_activity where application_name = 'plant-migrate' and wait_event_type = 'Lock'") > 0;
        }

        Assert.True(waiting, "the runner never reached V0001");
        runner.Kill(); // SIGKILL: no finally blocks, no rollback from the client
        await runner.WaitForExitAsync();
        await blocking.RollbackAsync();

        // The server aborts the dead runner's transaction and, with its session, releases the migration lock.
        Assert.Empty(await db.HistoryAsync());
        var next = await RunAsync(db.ConnectionString, "up");
        Assert.Equal((0, ""), (next.ExitCode, next.Error));
        Assert.Equal(MigrationSet.Embedded.Migrations.Select(m => m.Version), (await db.HistoryAsync()).Select(h => h.Version));
    }

    [Fact]
    public async Task Status_ends_with_the_last_log_lines_oldest_first_in_the_previous_backend_s_line_format()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_cli_log");
        Assert.Equal(0, (await RunAsync(db.ConnectionString, "up")).ExitCode);

        var status = await RunAsync(db.ConnectionString, "status");

        var latest = Migration.FormatVersion(MigrationSet.Embedded.Latest);
        var log = status.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).SkipWhile(l => !l.StartsWith("log ", StringComparison.Ordinal)).ToList();
        Assert.Equal(0, status.ExitCode);
        Assert.Equal(3, log.Count);
        Assert.Equal("log (last 2, oldest first):", log[0]);
        Assert.Matches($@"^  \[\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ\] local: up 0000 -> {latest} - SUCCESS$", log[1]);
        // status's own line comes last: it is written before the log is read.
        Assert.Matches($@"^  \[\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ\] local: status {latest} -> {latest} - SUCCESS$", log[2]);
    }

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(string databaseUrl, params string[] args) =>
        RunAsync(new Dictionary<string, string> { ["DATABASE_URL"] = databaseUrl }, args);

    /// <summary>Runs the executable with <c>PLANT_ENVIRONMENT=local</c> and <paramref name="environment"/> on top.</summary>
    internal static Task<(int ExitCode, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunFromAsync(null, environment.ToDictionary(e => e.Key, e => (string?)e.Value), args);

    /// <summary>
    /// Runs the executable from <paramref name="workingDirectory"/> (default: its own folder) with <c>PLANT_ENVIRONMENT=local</c>
    /// and <paramref name="environment"/> on top; a variable given as null is unset.
    /// </summary>
    internal static async Task<(int ExitCode, string Output, string Error)> RunFromAsync(
        string? workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        using var process = Start(environment, workingDirectory, args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, (await error).Trim());
    }

    private static Process Start(string databaseUrl, params string[] args) =>
        Start(new Dictionary<string, string?> { ["DATABASE_URL"] = databaseUrl }, null, args);

    /// <summary>Starts the executable as <see cref="RunFromAsync"/> runs it.</summary>
    internal static Process Start(IReadOnlyDictionary<string, string?> environment, string? workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(MigrateDll)!,
        };
        info.ArgumentList.Add(MigrateDll);
        foreach (var argument in args)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Remove("DATABASE_URL_FILE");
        info.Environment["PLANT_ENVIRONMENT"] = "local";
        // The engine is under test here; backups have their own tests (tests/Plant.Migrate.Tests/Backups).
        info.Environment["PLANT_BACKUP"] = "none";
        // up and down record their runs in the audit trail, which loads the signing key.
        foreach (var (name, value) in TestSigningKeys.Settings)
        {
            info.Environment[name] = value;
        }
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        return Process.Start(info)!;
    }

    /// <summary>functions/Migrate's build output for this configuration (the test project builds it first).</summary>
    private static string MigrateDll { get; } = FindMigrateDll();

    private static string FindMigrateDll()
    {
        var configuration = typeof(MigrateCommandLineTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Plant.sln")))
            {
                var dll = Path.Combine(dir.FullName, "functions", "Migrate", "bin", configuration, "net10.0", "Plant.Migrate.dll");
                return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is not built.");
            }
        }

        throw new InvalidOperationException("No Plant.sln above " + AppContext.BaseDirectory);
    }
}

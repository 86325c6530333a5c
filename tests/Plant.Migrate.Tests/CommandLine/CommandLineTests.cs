using Microsoft.Extensions.Configuration;
using Plant.Core.Migrations;
using Plant.Migrate.Tests.Support;
using Plant.Testing;

namespace Plant.Migrate.Tests.CommandLine;

/// <summary>The command line, run in-process: the same pipeline and policy as the function, for operators and CI jobs.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _backups = Directory.CreateTempSubdirectory("plant-cli-backups-").FullName;

    public void Dispose() => Directory.Delete(_backups, recursive: true);

    [Fact]
    public async Task In_prod_up_waits_for_approve_which_prints_the_target_and_checksum_then_up_applies_once()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_cli_prod");
        var prod = Settings(db, "prod", ("PLANT_BACKUP", "pg_dump"), ("PLANT_BACKUP_DIR", _backups));

        var waiting = await RunAsync(prod, "up");
        var plan = await RunAsync(prod, "plan");
        var approve = await RunAsync(prod, "approve", "--by", "Ada Operator", "--note", "CHG-42");
        var up = await RunAsync(prod, "up");
        var again = await RunAsync(prod, "up");

        Assert.Equal(1, waiting.ExitCode);
        Assert.StartsWith("up: 2 pending (V0001, V0002), awaiting approval", waiting.Error, StringComparison.Ordinal);
        var checksum = MigrationPlan.ComputeChecksum(TestSets.Tables(2).Migrations);
        Assert.Contains($"plan to V0002: checksum {checksum}", plan.Output, StringComparison.Ordinal);
        Assert.Equal(0, approve.ExitCode);
        Assert.StartsWith($"approved: up to V0002 plan {checksum} (V0001, V0002)", approve.Output, StringComparison.Ordinal);
        Assert.Contains("by Ada Operator, usable once until ", approve.Output, StringComparison.Ordinal);
        Assert.Equal((0, ""), (up.ExitCode, up.Error));
        Assert.StartsWith("up 0000 -> 0002: V0001, V0002 (", up.Output, StringComparison.Ordinal);
        Assert.Contains($"  backup  pg_dump {_backups}", up.Output, StringComparison.Ordinal);
        Assert.Contains("  smoke   passed  V0001 declared objects: all 1 declared objects exist", up.Output, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(_backups, "*.dump"));
        Assert.Equal(0, again.ExitCode);
        Assert.StartsWith("up 0002 -> 0002: nothing to do", again.Output, StringComparison.Ordinal);
        Assert.Equal(["awaiting-approval", "succeeded", "nothing-to-do"], (await db.RunsAsync()).Select(r => r.Outcome));
        Assert.All(await db.RunsAsync(), r => Assert.Equal("cli", r.Trigger));
    }

    [Fact]
    public async Task In_prod_down_to_0_waits_for_an_approved_rollback_plan_which_lists_the_tables_it_drops()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_cli_down");
        var prod = Settings(db, "prod", ("PLANT_BACKUP", "pg_dump"), ("PLANT_BACKUP_DIR", _backups));
        await RunAsync(prod, "approve");
        await RunAsync(prod, "up");
        await db.ExecuteAsync("insert into public.t1 values (1), (2)");

        var waiting = await RunAsync(prod, "down", "--to", "0");
        var plan = await RunAsync(prod, "plan", "--to", "0");
        var approve = await RunAsync(prod, "approve", "--to", "0", "--by", "Ada Operator");
        var approvalId = approve.Output.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipWhile(w => w != "approval").ElementAt(1);
        var down = await RunAsync(prod, "down", "--to", "0", "--approval", approvalId);

        Assert.Equal(1, waiting.ExitCode);
        Assert.StartsWith("down: Rolling back to V0000 empties the database: it drops public.t1 (2 rows), public.t2 (0 rows). In prod that needs an approval", waiting.Error, StringComparison.Ordinal);
        var checksum = MigrationPlan.ComputeDownChecksum(TestSets.Tables(2).Migrations);
        Assert.Contains("-- V0002 table t2, down (sha256 ", plan.Output, StringComparison.Ordinal);
        Assert.Contains("drops public.t1: 2 rows", plan.Output, StringComparison.Ordinal);
        Assert.Contains($"rollback plan to V0000: checksum {checksum} (needs an approval)", plan.Output, StringComparison.Ordinal);
        Assert.StartsWith($"approved: down to V0000 plan {checksum} (V0002, V0001)", approve.Output, StringComparison.Ordinal);
        Assert.Equal((0, ""), (down.ExitCode, down.Error));
        Assert.StartsWith("down 0002 -> 0000: V0002, V0001 (", down.Output, StringComparison.Ordinal);
        Assert.Empty(await db.VersionsAsync());
    }

    [Fact]
    public async Task Approve_with_a_checksum_that_is_not_the_current_plan_s_exits_1()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_cli_checksum");
        var prod = Settings(db, "prod", ("PLANT_BACKUP", "pg_dump"), ("PLANT_BACKUP_DIR", _backups));

        var approve = await RunAsync(prod, "approve", "--checksum", new string('a', 64));

        Assert.Equal(1, approve.ExitCode);
        Assert.StartsWith("approve: The checksum given is not the checksum of the current plan to V0002", approve.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_migration_exits_1_with_one_line_naming_the_migration_and_statement_and_leaves_the_start_version()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_cli_fail");

        var up = await RunAsync(Settings(db, "local", ("PLANT_BACKUP", "none")), TestSets.FailingAtV3(), "up");

        Assert.Equal(1, up.ExitCode);
        Assert.Single(up.Error.Split('\n'));
        Assert.StartsWith("up: V0003 (broken) failed at statement 2: insert into public.nope values (1) (42P01: ", up.Error, StringComparison.Ordinal);
        Assert.StartsWith("up 0000 -> 0000: failed", up.Output, StringComparison.Ordinal);
        Assert.Empty(await db.VersionsAsync());
    }

    [Fact]
    public async Task Down_rolls_back_through_the_pipeline_and_a_bad_command_is_a_usage_error()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_cli_down");
        var local = Settings(db, "local", ("PLANT_BACKUP", "none"));
        await RunAsync(local, "up");

        var down = await RunAsync(local, "down", "--to", "V0001");
        var usage = await RunAsync(local, "approve", "--approval", "x");

        Assert.Equal(0, down.ExitCode);
        Assert.StartsWith("down 0002 -> 0001: V0002 (", down.Output, StringComparison.Ordinal);
        Assert.Equal([1], await db.VersionsAsync());
        Assert.Equal(2, usage.ExitCode);
        Assert.StartsWith("usage: ", usage.Error, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Settings(ScratchDatabase db, string environment, params (string Key, string Value)[] more)
    {
        // The command line records its runs in the audit trail, as the function does: it loads the signing key.
        var settings = new Dictionary<string, string?>(TestSigningKeys.Settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
        {
            ["DATABASE_URL"] = db.ConnectionString,
            ["PLANT_ENVIRONMENT"] = environment,
            ["PLANT_RETENTION_DAYS"] = "30",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(Dictionary<string, string?> settings, params string[] args) =>
        RunAsync(settings, TestSets.Tables(2), args);

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(Dictionary<string, string?> settings, MigrationSet migrations, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var exitCode = await MigrateCommandLine.RunAsync(args, configuration, output, error, migrations);
        return (exitCode, output.ToString(), error.ToString().Trim());
    }
}

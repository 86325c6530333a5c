using System.Net;
using System.Text.Json;
using Plant.Core.Migrations;
using Plant.Migrate.Tests.Support;
using Plant.Testing;
using Plant.Testing.Hosting;

namespace Plant.Migrate.Tests.Pipeline;

/// <summary>
/// In uat and prod a rollback to V0000, or one that drops a table holding rows, needs an approval bound to its plan's
/// checksum; the plan names every table it drops and its rows.
/// </summary>
public sealed class RollbackApprovalTests
{
    private const string Plan = "/api/v1/migrations/plan";
    private const string Apply = "/api/v1/migrations/apply";
    private const string Rollback = "/api/v1/migrations/rollback";
    private const string Approvals = "/api/v1/migrations/approvals";

    [Theory]
    [InlineData("uat")]
    [InlineData("prod")]
    public async Task A_rollback_that_drops_rows_waits_for_an_approval_of_its_plan_which_names_every_table_and_row_count(string environment)
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_down_rows");
        await using var fake = await FakeCloudSql.StartAsync();
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.Tables(3), environment, fake.Settings());
        await ApplyAsync(host, environment, target: 3);
        await db.ExecuteAsync("insert into public.t2 select generate_series(1, 3); insert into public.t3 values (1)");

        var (planStatus, plan) = await MigrateHosts.PostAsync(host, Plan, new { target = 1 });
        using var refused = await host.Client.SendAsync(Json(Rollback, new { target = 1 }));
        var refusal = await Problem.AssertAsync(refused, HttpStatusCode.Conflict, "approval-required");
        var backupsBefore = fake.BackupRuns.Count;

        Assert.Equal(HttpStatusCode.OK, planStatus);
        Assert.Equal(("down", 3, 1, true, "never"), (
            plan.GetProperty("operation").GetString(), plan.GetProperty("fromVersion").GetInt32(), plan.GetProperty("targetVersion").GetInt32(),
            plan.GetProperty("approvalRequired").GetBoolean(), plan.GetProperty("scheduledRun").GetString()));
        Assert.Equal([("public.t2", 3L), ("public.t3", 1L)], Drops(plan));
        // Newest first, with the down scripts and their checksums: what the approval binds.
        Assert.Equal([3, 2], plan.GetProperty("migrations").EnumerateArray().Select(m => m.GetProperty("version").GetInt32()));
        var v3 = plan.GetProperty("migrations")[0];
        Assert.Equal(("drop table public.t3;", Migration.ComputeChecksum("drop table public.t3;")), (v3.GetProperty("sql").GetString(), v3.GetProperty("checksum").GetString()));
        var checksum = plan.GetProperty("planChecksum").GetString()!;
        Assert.Equal(MigrationPlan.ComputeDownChecksum(TestSets.Tables(3).Migrations.Skip(1)), checksum);

        Assert.Contains("drops public.t2 (3 rows), public.t3 (1 row)", refusal.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(checksum, refusal.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("awaiting-approval", refusal.GetProperty("run").GetProperty("outcome").GetString());
        Assert.Equal([1, 2, 3], await db.VersionsAsync());
        Assert.Equal(3, await db.ScalarAsync<long>("select count(*) from public.t2"));

        var (approved, approval) = await MigrateHosts.PostAsync(host, Approvals, new { planChecksum = checksum, approvedBy = "Ada Operator", target = 1 });
        Assert.Equal(HttpStatusCode.Created, approved);
        Assert.Equal(("down", 1, "3,2"), (approval.GetProperty("operation").GetString(), approval.GetProperty("targetVersion").GetInt32(),
            string.Join(',', approval.GetProperty("versions").EnumerateArray().Select(v => v.GetInt32()))));
        var approvalId = approval.GetProperty("id").GetGuid();

        var (rolledBack, run) = await MigrateHosts.PostAsync(host, Rollback, new { target = 1, approvalId });

        Assert.Equal(HttpStatusCode.OK, rolledBack);
        Assert.Equal(("succeeded", approvalId, checksum), (run.GetProperty("outcome").GetString(), run.GetProperty("approvalId").GetGuid(), run.GetProperty("planChecksum").GetString()));
        Assert.Equal([("public.t2", 3L), ("public.t3", 1L)], Drops(run));
        Assert.Equal([1], await db.VersionsAsync());
        Assert.Equal(["awaiting-approval", "succeeded"], (await db.RunsAsync()).Where(r => r.Operation == "down").Select(r => r.Outcome));
        // The refused rollback took no backup; the approved one took one before its scripts.
        Assert.Equal(backupsBefore + 1, fake.BackupRuns.Count);
        using var again = await host.Client.SendAsync(Json(Rollback, new { target = 0, approvalId }));
        Assert.Equal("approval-used", (await Problem.AssertAsync(again, HttpStatusCode.Conflict, "approval-unusable")).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_rollback_that_drops_only_empty_tables_needs_no_approval()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_down_empty");
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.Tables(2), "uat");
        await ApplyAsync(host, "uat", target: 2);
        await db.ExecuteAsync("insert into public.t1 values (1)");

        var (_, plan) = await MigrateHosts.PostAsync(host, Plan, new { target = 1 });
        var (status, run) = await MigrateHosts.PostAsync(host, Rollback, new { target = 1 });

        Assert.False(plan.GetProperty("approvalRequired").GetBoolean());
        Assert.Equal([("public.t2", 0L)], Drops(plan));
        Assert.Equal((HttpStatusCode.OK, "succeeded"), (status, run.GetProperty("outcome").GetString()));
        Assert.Equal([1], await db.VersionsAsync());
    }

    [Fact]
    public async Task A_rollback_to_V0000_needs_an_approval_with_every_table_empty_and_uses_an_open_one_that_matches()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_down_zero");
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.Tables(2), "uat");
        await ApplyAsync(host, "uat", target: 2);

        using var refused = await host.Client.SendAsync(Json(Rollback, new { target = 0 }));
        await Problem.AssertAsync(refused, HttpStatusCode.Conflict, "approval-required");
        Assert.Equal([1, 2], await db.VersionsAsync());

        var approvalId = await MigrateHosts.ApproveAsync(host, target: 0);
        var (status, run) = await MigrateHosts.PostAsync(host, Rollback, new { target = 0 });

        Assert.Equal((HttpStatusCode.OK, approvalId), (status, run.GetProperty("approvalId").GetGuid()));
        Assert.Empty(await db.VersionsAsync());
    }

    [Theory]
    [InlineData("local")]
    [InlineData("demo")]
    public async Task Outside_uat_and_prod_a_rollback_needs_no_approval(string environment)
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_down_local");
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.Tables(2), environment);
        await ApplyAsync(host, environment, target: 2);
        await db.ExecuteAsync("insert into public.t1 values (1)");

        var (_, plan) = await MigrateHosts.PostAsync(host, Plan, new { target = 0 });
        var (status, _) = await MigrateHosts.PostAsync(host, Rollback, new { target = 0 });

        Assert.False(plan.GetProperty("approvalRequired").GetBoolean());
        Assert.Equal([("public.t1", 1L), ("public.t2", 0L)], Drops(plan));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(await db.VersionsAsync());
    }

    [Fact]
    public async Task A_rollback_approval_is_bound_to_its_plan_and_its_direction()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_down_bound");
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.Tables(3), "uat");
        await ApplyAsync(host, "uat", target: 2);
        var downTo1 = await MigrateHosts.ApproveAsync(host, target: 1);
        var downTo0 = await MigrateHosts.ApproveAsync(host, target: 0);

        // An approval to roll back is no approval to go up, nor to roll back elsewhere.
        using var asUp = await host.Client.SendAsync(Json(Apply, new { approvalId = downTo1 }));
        using var elsewhere = await host.Client.SendAsync(Json(Rollback, new { target = 1, approvalId = downTo0 }));
        // V3 applied: the plan to V1 is {V3, V2} now, not the {V2} that was approved.
        await ApplyAsync(host, "uat", target: 3);
        using var changed = await host.Client.SendAsync(Json(Rollback, new { target = 1, approvalId = downTo1 }));

        Assert.Equal("approval-target-mismatch", (await Problem.AssertAsync(asUp, HttpStatusCode.Conflict, "approval-unusable")).GetProperty("reason").GetString());
        Assert.Equal("approval-target-mismatch", (await Problem.AssertAsync(elsewhere, HttpStatusCode.Conflict, "approval-unusable")).GetProperty("reason").GetString());
        Assert.Equal("approval-plan-changed", (await Problem.AssertAsync(changed, HttpStatusCode.Conflict, "approval-unusable")).GetProperty("reason").GetString());
        Assert.Equal([1, 2, 3], await db.VersionsAsync());
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from plant_migrations.approvals where used_at is not null"));
    }

    [Fact]
    public async Task An_approvals_table_from_before_rollback_approvals_is_brought_up_to_date_and_its_rows_are_up_approvals()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_down_upgrade");
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.Tables(3), "uat");
        await ApplyAsync(host, "uat", target: 2);
        var upTo3 = await MigrateHosts.ApproveAsync(host, target: 3);
        // The table as it was: no operation, and a target above 0.
        await db.ExecuteAsync("""
            alter table plant_migrations.approvals drop constraint approvals_operation_target;
            alter table plant_migrations.approvals drop column operation;
            alter table plant_migrations.approvals add constraint approvals_target_version_check check (target_version > 0);
            """);

        var downTo0 = await MigrateHosts.ApproveAsync(host, target: 0);
        var (_, overview) = await MigrateHosts.GetAsync(host, "/api/v1/migrations");

        var approvals = overview.GetProperty("approvals").EnumerateArray().ToDictionary(a => a.GetProperty("id").GetGuid(), a => a.GetProperty("operation").GetString());
        Assert.Equal("up", approvals[upTo3]);
        Assert.Equal("down", approvals[downTo0]);
    }

    /// <summary>Each step down Plant's own migrations drops exactly the tables its plan names: the plan's reading of the scripts is checked against PostgreSQL.</summary>
    [Fact]
    public async Task Every_down_script_of_Plant_s_migrations_drops_exactly_the_tables_its_plan_names()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_down_drops");
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, null, "local");
        await ApplyAsync(host, "local", target: null);
        var versions = MigrationSet.Embedded.Migrations.Select(m => m.Version).Prepend(0).ToList();

        for (var i = versions.Count - 1; i > 0; i--)
        {
            var before = await TablesAsync(db);
            var (_, plan) = await MigrateHosts.PostAsync(host, Plan, new { target = versions[i - 1] });
            var (status, run) = await MigrateHosts.PostAsync(host, Rollback, new { target = versions[i - 1] });
            Assert.True(status == HttpStatusCode.OK, run.ToString());
            var gone = before.Except(await TablesAsync(db)).Order();

            Assert.Equal(gone, Drops(plan).Select(d => d.Table).Order());
        }
    }

    /// <summary>Goes up through the route; in prod (the approval policy) with an approval.</summary>
    private static async Task ApplyAsync(TestHost host, string environment, int? target)
    {
        object body = environment == "prod" ? new { approvalId = await MigrateHosts.ApproveAsync(host, target) } : new { target };
        var (status, run) = await MigrateHosts.PostAsync(host, Apply, body);
        Assert.True(status == HttpStatusCode.OK, run.ToString());
    }

    private static List<(string Table, long Rows)> Drops(JsonElement planOrRun) =>
        [.. planOrRun.GetProperty("drops").EnumerateArray().Select(d => (d.GetProperty("table").GetString()!, d.GetProperty("rows").GetInt64()))];

    private static async Task<IReadOnlyList<string>> TablesAsync(ScratchDatabase db)
    {
        var text = await db.ScalarAsync<string>("""
            select coalesce(string_agg(schemaname || '.' || tablename, ',' order by schemaname, tablename), '') from pg_tables
            where schemaname not in ('pg_catalog', 'information_schema', 'plant_migrations')
            """);
        return text.Split(',', StringSplitOptions.RemoveEmptyEntries);
    }

    private static HttpRequestMessage Json(string path, object body)
    {
        var request = TestHost.Request(HttpMethod.Post, path, TestHost.MasterKey);
        request.Content = TestJson.Content(body);
        return request;
    }
}

using System.Net;
using Plant.Migrate.Tests.Support;
using Plant.Testing;
using Plant.Testing.Hosting;

namespace Plant.Migrate.Tests.Pipeline;

/// <summary>A failed run leaves the database at the version it started from and says which migration and statement failed.</summary>
public sealed class FailureTests
{
    private const string Apply = "/api/v1/migrations/apply";

    [Fact]
    public async Task A_failing_migration_undoes_the_batch_and_names_the_migration_and_statement()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_fail_statement");
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.FailingAtV3(), "local");

        using var response = await host.Client.SendAsync(TestHost.Request(HttpMethod.Post, Apply, TestHost.MasterKey));
        var problem = await Problem.AssertAsync(response, HttpStatusCode.UnprocessableEntity, "migration-failed");

        var run = problem.GetProperty("run");
        var failure = run.GetProperty("failure");
        Assert.Equal(("migration", 3, 2), (failure.GetProperty("stage").GetString(), failure.GetProperty("version").GetInt32(), failure.GetProperty("statementNumber").GetInt32()));
        Assert.Equal("insert into public.nope values (1)", failure.GetProperty("statement").GetString());
        Assert.StartsWith("42P01: ", failure.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal([1, 2], run.GetProperty("ran").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal([2, 1], run.GetProperty("undone").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal((0, 0), (run.GetProperty("fromVersion").GetInt32(), run.GetProperty("toVersion").GetInt32()));
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("V0003 (broken) failed at statement 2: insert into public.nope values (1)", detail, StringComparison.Ordinal);
        Assert.Contains("the database is at V0000, where the run started", detail, StringComparison.Ordinal);

        Assert.Empty(await db.VersionsAsync());
        Assert.False(await db.TableExistsAsync("public.t1"));
        Assert.False(await db.TableExistsAsync("public.t3"));
        var recorded = Assert.Single(await db.RunsAsync());
        Assert.Equal(("failed", "migration", 0, 0), (recorded.Outcome, recorded.FailureStage, recorded.FromVersion, recorded.ToVersion));
        Assert.Contains(await db.LogAsync(), line => line.Contains("local: up 0000 -> 0000 - FAILED: V0003 (broken) failed at statement 2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_smoke_check_undoes_the_batch_and_lists_the_checks()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_fail_smoke");
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.FailingSmokeCheck(), "local");

        using var response = await host.Client.SendAsync(TestHost.Request(HttpMethod.Post, Apply, TestHost.MasterKey));
        var problem = await Problem.AssertAsync(response, HttpStatusCode.UnprocessableEntity, "migration-failed");

        var run = problem.GetProperty("run");
        Assert.Equal("smoke-check", run.GetProperty("failure").GetProperty("stage").GetString());
        var checks = run.GetProperty("smokeChecks").EnumerateArray().Select(c => (c.GetProperty("name").GetString(), c.GetProperty("status").GetString())).ToList();
        Assert.Equal(
            [("V0001 declared objects", "passed"), ("V0002 declared objects", "failed"), ("seed tables readable", "skipped"), ("agent query", "skipped")],
            checks);
        Assert.Contains("missing 1 of 2: table public.never_created", run.GetProperty("smokeChecks")[1].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal([2, 1], run.GetProperty("undone").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Empty(await db.VersionsAsync());
        Assert.False(await db.TableExistsAsync("public.t2"));
    }

    [Fact]
    public async Task The_schedule_does_not_retry_a_plan_that_failed_and_a_new_build_is_tried_again()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_fail_retry");
        await using (var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.FailingAtV3(), "local"))
        {
            var (failed, failedBody) = await MigrateHosts.RunTimerAsync(host);
            var (skipped, _) = await MigrateHosts.RunTimerAsync(host);

            Assert.Equal(HttpStatusCode.InternalServerError, failed);
            Assert.Equal("urn:plant:problem:internal-error", failedBody.GetProperty("type").GetString());
            Assert.Equal(HttpStatusCode.Accepted, skipped);
        }

        // A fixed V3 is a new plan: the schedule tries it.
        await using (var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.Tables(3), "local"))
        {
            var (fixedRun, _) = await MigrateHosts.RunTimerAsync(host);
            Assert.Equal(HttpStatusCode.Accepted, fixedRun);
        }

        var runs = await db.RunsAsync();
        Assert.Equal(["failed", "not-retried", "succeeded"], runs.Select(r => r.Outcome));
        Assert.Contains($"this exact plan failed in run {runs[0].Id}", runs[1].Message, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3], await db.VersionsAsync());
    }

    [Fact]
    public async Task When_undoing_fails_too_the_report_says_where_the_database_is_and_that_it_is_not_where_it_started()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_fail_undo");
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.UndoFailsAtV2(), "local");

        using var response = await host.Client.SendAsync(TestHost.Request(HttpMethod.Post, Apply, TestHost.MasterKey));
        var problem = await Problem.AssertAsync(response, HttpStatusCode.UnprocessableEntity, "migration-failed");

        var run = problem.GetProperty("run");
        Assert.Equal(("undo", 2), (run.GetProperty("undoFailure").GetProperty("stage").GetString(), run.GetProperty("undoFailure").GetProperty("version").GetInt32()));
        Assert.Equal(2, run.GetProperty("toVersion").GetInt32());
        Assert.Contains("NOT at V0000 where the run started", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal([1, 2], await db.VersionsAsync());
        Assert.Equal("undo", Assert.Single(await db.RunsAsync()).FailureStage);
    }

    [Fact]
    public async Task A_rollback_whose_down_script_fails_re_applies_what_it_undid()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_fail_down");
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.DownFailsAtV1(), "local");
        await MigrateHosts.PostAsync(host, Apply);

        using var response = await host.Client.SendAsync(Json("/api/v1/migrations/rollback", """{ "target": 0 }"""));
        var problem = await Problem.AssertAsync(response, HttpStatusCode.UnprocessableEntity, "migration-failed");

        var run = problem.GetProperty("run");
        Assert.Equal(("down", 1, 2), (run.GetProperty("operation").GetString(), run.GetProperty("failure").GetProperty("version").GetInt32(), run.GetProperty("toVersion").GetInt32()));
        Assert.Equal([2], run.GetProperty("undone").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal([1, 2], await db.VersionsAsync());
        Assert.True(await db.TableExistsAsync("public.t2"));
    }

    [Fact]
    public async Task A_changed_checksum_is_refused_and_recorded()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_fail_checksum");
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.Tables(2), "local");
        await MigrateHosts.PostAsync(host, Apply, new { target = 1 });
        await db.ExecuteAsync("update plant_migrations.history set checksum = repeat('0', 64) where version = 1");

        using var response = await host.Client.SendAsync(TestHost.Request(HttpMethod.Post, Apply, TestHost.MasterKey));
        var (timer, _) = await MigrateHosts.RunTimerAsync(host);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.Conflict, "history-refused");
        Assert.Contains("V0001 (table t1) was changed after it was applied", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.InternalServerError, timer);
        Assert.Equal(["succeeded", "refused", "refused"], (await db.RunsAsync()).Select(r => r.Outcome));
        Assert.Equal([1], await db.VersionsAsync());
    }

    private static HttpRequestMessage Json(string path, string json)
    {
        var request = TestHost.Request(HttpMethod.Post, path, TestHost.MasterKey);
        request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        return request;
    }
}

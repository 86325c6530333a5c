using System.Net;
using Plant.Migrate.Tests.Support;
using Plant.Testing;
using Plant.Testing.Hosting;

namespace Plant.Migrate.Tests.Pipeline;

/// <summary>prod applies only a plan an operator approved: by checksum, before it expires, once.</summary>
public sealed class ApprovalTests
{
    private const string Approvals = "/api/v1/migrations/approvals";
    private const string Apply = "/api/v1/migrations/apply";

    [Fact]
    public async Task An_approved_plan_is_applied_by_the_next_scheduled_run_after_a_backup_and_the_approval_is_used_up()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_approval_ok");
        await using var fake = await FakeCloudSql.StartAsync();
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.Tables(2), "prod", fake.Settings());

        var approvalId = await MigrateHosts.ApproveAsync(host);
        var (status, _) = await MigrateHosts.RunTimerAsync(host);
        var (_, overview) = await MigrateHosts.GetAsync(host, "/api/v1/migrations");

        Assert.Equal(HttpStatusCode.Accepted, status);
        var run = Assert.Single(await db.RunsAsync());
        Assert.Equal(("succeeded", approvalId), (run.Outcome, run.ApprovalId));
        Assert.Equal([1, 2], await db.VersionsAsync());
        var approval = Assert.Single(overview.GetProperty("approvals").EnumerateArray());
        Assert.Equal(("used", run.Id), (approval.GetProperty("state").GetString(), approval.GetProperty("usedByRun").GetGuid()));
        Assert.Equal(2, overview.GetProperty("currentVersion").GetInt32());
        // One on-demand Cloud SQL backup, before the scripts, with the token from the metadata server.
        Assert.Single(fake.BackupRuns);
        Assert.All(fake.Authorizations, a => Assert.StartsWith("Bearer fake-token-", a, StringComparison.Ordinal));
        var approve = Assert.Single(await db.LogEntriesAsync(), e => e.Operation == "approve");
        Assert.StartsWith($"Ada Operator approved plan {approval.GetProperty("planChecksum").GetString()} (V0001, V0002) as {approvalId}", approve.Message, StringComparison.Ordinal);
        Assert.Equal((0, 2), (approve.FromVersion, approve.ToVersion));
    }

    [Fact]
    public async Task An_approval_with_a_wrong_checksum_is_refused_and_stores_nothing()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_approval_wrong");
        await using var fake = await FakeCloudSql.StartAsync();
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.Tables(2), "prod", fake.Settings());
        var actual = await MigrateHosts.PlanChecksumAsync(host);

        using var response = await host.Client.SendAsync(Json(Approvals, new { planChecksum = new string('0', 64), approvedBy = "Ada" }));
        var problem = await Problem.AssertAsync(response, HttpStatusCode.Conflict, "plan-mismatch");
        var (_, timer) = await MigrateHosts.RunTimerAsync(host);

        Assert.DoesNotContain(actual, problem.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from plant_migrations.approvals"));
        Assert.Equal("awaiting-approval", Assert.Single(await db.RunsAsync()).Outcome);
        Assert.Empty(await db.VersionsAsync());
    }

    [Fact]
    public async Task An_expired_approval_is_not_used_by_the_schedule_and_is_refused_by_name()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_approval_expired");
        await using var fake = await FakeCloudSql.StartAsync();
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.Tables(2), "prod", fake.Settings());
        var approvalId = await MigrateHosts.ApproveAsync(host);
        await db.ExecuteAsync("update plant_migrations.approvals set created_at = now() - interval '2 days', expires_at = now() - interval '1 second'");

        var (_, _) = await MigrateHosts.RunTimerAsync(host);
        using var named = await host.Client.SendAsync(Json(Apply, new { approvalId }));

        Assert.Equal("awaiting-approval", Assert.Single(await db.RunsAsync()).Outcome);
        var problem = await Problem.AssertAsync(named, HttpStatusCode.Conflict, "approval-unusable");
        Assert.Equal("approval-expired", problem.GetProperty("reason").GetString());
        Assert.Empty(await db.VersionsAsync());
        Assert.Empty(fake.BackupRuns);
    }

    [Fact]
    public async Task An_approval_is_used_once_even_when_the_same_plan_comes_back_after_a_rollback()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_approval_reused");
        await using var fake = await FakeCloudSql.StartAsync();
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.Tables(2), "prod", fake.Settings());
        var approvalId = await MigrateHosts.ApproveAsync(host, target: 1);

        var (applied, _) = await MigrateHosts.PostAsync(host, Apply, new { approvalId });
        // In prod a rollback to V0000 needs an approval of its own.
        var (rolledBack, _) = await MigrateHosts.PostAsync(host, "/api/v1/migrations/rollback", new { target = 0, approvalId = await MigrateHosts.ApproveAsync(host, target: 0) });
        using var again = await host.Client.SendAsync(Json(Apply, new { approvalId }));
        var (_, _) = await MigrateHosts.RunTimerAsync(host);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (applied, rolledBack));
        var problem = await Problem.AssertAsync(again, HttpStatusCode.Conflict, "approval-unusable");
        Assert.Equal("approval-used", problem.GetProperty("reason").GetString());
        Assert.Equal(["succeeded", "succeeded", "awaiting-approval"], (await db.RunsAsync()).Select(r => r.Outcome));
        Assert.Empty(await db.VersionsAsync());
    }

    [Fact]
    public async Task An_approval_whose_plan_has_changed_is_not_applied()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_approval_changed");
        await using var fake = await FakeCloudSql.StartAsync();
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.Tables(2), "prod", fake.Settings());
        var toV2 = await MigrateHosts.ApproveAsync(host, target: 2);
        var toV1 = await MigrateHosts.ApproveAsync(host, target: 1);

        var (first, _) = await MigrateHosts.PostAsync(host, Apply, new { approvalId = toV1 });
        // V1 is applied now: the plan to V2 is {V2}, no longer the {V1, V2} that was approved.
        using var stale = await host.Client.SendAsync(Json(Apply, new { approvalId = toV2 }));
        var (_, _) = await MigrateHosts.RunTimerAsync(host);

        Assert.Equal(HttpStatusCode.OK, first);
        var problem = await Problem.AssertAsync(stale, HttpStatusCode.Conflict, "approval-unusable");
        Assert.Equal("approval-plan-changed", problem.GetProperty("reason").GetString());
        Assert.Equal(["succeeded", "awaiting-approval"], (await db.RunsAsync()).Select(r => r.Outcome));
        Assert.Equal([1], await db.VersionsAsync());
    }

    [Theory]
    [InlineData("""{ "approvedBy": "Ada" }""", HttpStatusCode.BadRequest, "malformed-json")]
    [InlineData("""{ "planChecksum": "abc", "approvedBy": "Ada" }""", HttpStatusCode.BadRequest, "bad-request")]
    [InlineData("""{ "planChecksum": "0000000000000000000000000000000000000000000000000000000000000000", "approvedBy": " " }""", HttpStatusCode.BadRequest, "bad-request")]
    [InlineData("""{ "planChecksum": "0000000000000000000000000000000000000000000000000000000000000000", "approvedBy": "Ada", "target": -1 }""", HttpStatusCode.BadRequest, "bad-request")]
    [InlineData("""{ "planChecksum": "0000000000000000000000000000000000000000000000000000000000000000", "approvedBy": "Ada", "target": 9 }""", HttpStatusCode.UnprocessableEntity, "unknown-version")]
    [InlineData("""{ "planChecksum": "0000000000000000000000000000000000000000000000000000000000000000", "approvedBy": "Ada", "extra": 1 }""", HttpStatusCode.BadRequest, "malformed-json")]
    public async Task A_bad_approval_request_is_a_4xx_problem_and_stores_nothing(string json, HttpStatusCode status, string slug)
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_approval_bad");
        await using var fake = await FakeCloudSql.StartAsync();
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.Tables(2), "prod", fake.Settings());
        using var request = TestHost.Request(HttpMethod.Post, Approvals, TestHost.MasterKey);
        request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");

        using var response = await host.Client.SendAsync(request);

        await Problem.AssertAsync(response, status, slug);
        Assert.False(await db.TableExistsAsync("plant_migrations.approvals"));
    }

    [Fact]
    public async Task Approving_with_nothing_pending_is_a_409()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_approval_nothing");
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.Tables(1), "uat");
        await MigrateHosts.PostAsync(host, Apply);

        using var response = await host.Client.SendAsync(Json(Approvals, new { planChecksum = new string('0', 64), approvedBy = "Ada" }));

        await Problem.AssertAsync(response, HttpStatusCode.Conflict, "nothing-to-approve");
    }

    private static HttpRequestMessage Json(string path, object body)
    {
        var request = TestHost.Request(HttpMethod.Post, path, TestHost.MasterKey);
        request.Content = TestJson.Content(body);
        return request;
    }
}

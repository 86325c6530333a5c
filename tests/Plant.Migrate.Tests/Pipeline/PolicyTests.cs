using System.Net;
using Plant.Migrate.Tests.Support;
using Plant.Testing;

namespace Plant.Migrate.Tests.Pipeline;

/// <summary>What MigrateOnSchedule and the apply route do in each environment, with two pending migrations.</summary>
public sealed class PolicyTests
{
    [Theory]
    [InlineData("local", null, "succeeded", 2)]
    [InlineData("demo", null, "succeeded", 2)]
    [InlineData("uat", null, "awaiting-operator", 0)]
    [InlineData("uat", "auto", "succeeded", 2)]
    [InlineData("prod", null, "awaiting-approval", 0)]
    public async Task A_scheduled_run_applies_only_where_the_policy_lets_it(string environment, string? policy, string outcome, int version)
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_policy_" + environment + (policy ?? ""));
        await using var fake = await FakeCloudSql.StartAsync();
        var settings = environment == "prod" ? fake.Settings() : new Dictionary<string, string?>();
        if (policy is not null)
        {
            settings["PLANT_MIGRATION_POLICY"] = policy;
        }

        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.Tables(2), environment, settings);

        var (status, body) = await MigrateHosts.RunTimerAsync(host);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("succeeded", body.GetProperty("status").GetString());
        var run = Assert.Single(await db.RunsAsync());
        Assert.Equal(("schedule", "up", outcome, 0, version), (run.Trigger, run.Operation, run.Outcome, run.FromVersion, run.ToVersion));
        Assert.Equal(version == 0 ? [] : [1, 2], await db.VersionsAsync());
        Assert.Equal(version == 2, await db.TableExistsAsync("public.t2"));
        if (outcome == "awaiting-approval")
        {
            Assert.StartsWith("2 pending (V0001, V0002), awaiting approval", run.Message, StringComparison.Ordinal);
            Assert.Empty(fake.BackupRuns);
        }
    }

    [Fact]
    public async Task An_operator_applies_through_the_route_where_the_policy_is_manual()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_policy_manual_route");
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.Tables(2), "uat");

        var (status, body) = await MigrateHosts.PostAsync(host, "/api/v1/migrations/apply");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("succeeded", "http", 2), (body.GetProperty("outcome").GetString(), body.GetProperty("trigger").GetString(), body.GetProperty("toVersion").GetInt32()));
        Assert.Equal([1, 2], await db.VersionsAsync());
    }

    [Fact]
    public async Task The_apply_route_in_prod_without_an_approval_answers_409_and_changes_nothing()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_policy_prod_route");
        await using var fake = await FakeCloudSql.StartAsync();
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.Tables(2), "prod", fake.Settings());

        using var response = await host.Client.SendAsync(Plant.Testing.Hosting.TestHost.Request(HttpMethod.Post, "/api/v1/migrations/apply", Plant.Testing.Hosting.TestHost.MasterKey));
        var problem = await Plant.Testing.Hosting.Problem.AssertAsync(response, HttpStatusCode.Conflict, "approval-required");

        Assert.Contains("2 pending", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("awaiting-approval", problem.GetProperty("run").GetProperty("outcome").GetString());
        Assert.Empty(await db.VersionsAsync());
        Assert.Empty(fake.BackupRuns);
    }

    [Fact]
    public async Task A_scheduled_run_with_nothing_pending_records_nothing_to_do()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_policy_nothing");
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.Tables(1), "local");
        await MigrateHosts.RunTimerAsync(host);

        var (status, _) = await MigrateHosts.RunTimerAsync(host);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(["succeeded", "nothing-to-do"], (await db.RunsAsync()).Select(r => r.Outcome));
        Assert.Equal([1], await db.VersionsAsync());
    }
}

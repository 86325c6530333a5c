using System.Net;
using System.Text;
using Plant.Core.Configuration;
using Plant.Core.Embeddings;
using Plant.Core.Migrations;
using Plant.Core.Seed;
using Plant.Migrate.Tests.Support;
using Plant.Testing;
using Plant.Testing.Hosting;

namespace Plant.Migrate.Tests.Routes;

/// <summary>The admin routes with Plant's own migrations: status, plan, apply, rollback, and their 4xx answers.</summary>
public sealed class MigrationRoutesTests
{
    [Fact]
    public async Task Status_of_an_empty_database_lists_every_migration_as_pending_with_its_checksum_and_the_plan_checksum()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_routes_status");
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, null, "uat");

        var (status, body) = await MigrateHosts.GetAsync(host, "/api/v1/migrations");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("uat", "manual", "0 */15 * * * *"), (body.GetProperty("environment").GetString(), body.GetProperty("policy").GetString(), body.GetProperty("schedule").GetString()));
        Assert.Equal((0, MigrationSet.Embedded.Latest), (body.GetProperty("currentVersion").GetInt32(), body.GetProperty("latestVersion").GetInt32()));
        Assert.Equal(
            MigrationSet.Embedded.Migrations.Select(m => (m.Version, m.Checksum)),
            body.GetProperty("pending").EnumerateArray().Select(p => (p.GetProperty("version").GetInt32(), p.GetProperty("checksum").GetString()!)));
        Assert.Equal(MigrationPlan.ComputeChecksum(MigrationSet.Embedded.Migrations), body.GetProperty("planChecksum").GetString());
        Assert.Empty(body.GetProperty("history").EnumerateArray());
        Assert.Empty(body.GetProperty("lastRuns").EnumerateArray());
        // Reading changes nothing, not even the engine's own tables.
        Assert.False(await db.TableExistsAsync("plant_migrations.history"));
    }

    [Fact]
    public async Task Status_returns_the_last_20_log_lines_oldest_first_in_the_previous_backend_s_format_ending_with_its_own()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_routes_log");
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, null, "uat");
        var (applyStatus, _) = await MigrateHosts.PostAsync(host, "/api/v1/migrations/apply");
        // 25 lines of another environment's runs, every fifth a failure with a two-line message.
        await db.ExecuteAsync("""
            insert into plant_migrations.log (logged_at, environment, operation, from_version, to_version, outcome, duration_ms, message)
            select timestamptz '2026-01-14 12:00:45+00' + make_interval(mins => i), 'demo', 'up', 3, 5,
                   case when i % 5 = 0 then 'FAILED' else 'SUCCESS' end, 120,
                   case when i % 5 = 0 then E'V0004 failed:\nrelation "catalog.offer" does not exist' end
            from generate_series(1, 25) as i
            """);

        var (status, body) = await MigrateHosts.GetAsync(host, "/api/v1/migrations");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (applyStatus, status));
        var log = body.GetProperty("log").EnumerateArray().Select(l => l.GetString()!).ToList();
        Assert.Equal(20, log.Count);
        var inserted = Enumerable.Range(7, 19).Select(i => i % 5 == 0
            ? $"[2026-01-14T12:{i:00}:45Z] demo: up 0003 -> 0005 - FAILED: V0004 failed: relation \"catalog.offer\" does not exist"
            : $"[2026-01-14T12:{i:00}:45Z] demo: up 0003 -> 0005 - SUCCESS");
        Assert.Equal(inserted, log.Take(19));
        var latest = Migration.FormatVersion(MigrationSet.Embedded.Latest);
        Assert.Matches($@"^\[\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ\] uat: status {latest} -> {latest} - SUCCESS$", log[19]);
    }

    [Fact]
    public async Task Plant_s_migrations_apply_and_roll_back_through_the_routes_with_every_smoke_check_passing()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_routes_embedded");
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, null, "uat");

        var (planStatus, plan) = await MigrateHosts.PostAsync(host, "/api/v1/migrations/plan");
        var (applyStatus, applied) = await MigrateHosts.PostAsync(host, "/api/v1/migrations/apply");
        using (var keys = TestSigningKeys.Ring())
        {
            await new CatalogSeeder(db.DataSource, new FeatureHashingEmbedder(), PlantSettings.Defaults(PlantEnvironment.Local), keys).SeedAsync();
        }

        // The seeded catalog's certificates, audit entries and change marker go with V0004, V0003 and V0005: in uat that needs an approval.
        var (refusedStatus, refused) = await MigrateHosts.PostAsync(host, "/api/v1/migrations/rollback", new { target = 1 });
        var approvalId = await MigrateHosts.ApproveAsync(host, target: 1);
        var (rollbackStatus, rolledBack) = await MigrateHosts.PostAsync(host, "/api/v1/migrations/rollback", new { target = 1, approvalId });
        var (_, overview) = await MigrateHosts.GetAsync(host, "/api/v1/migrations");

        Assert.Equal(HttpStatusCode.OK, planStatus);
        Assert.Equal("await-operator", plan.GetProperty("scheduledRun").GetString());
        var v1 = plan.GetProperty("migrations")[0];
        Assert.Contains("table catalog.agent", v1.GetProperty("expects").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("create schema catalog", v1.GetProperty("sql").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, applyStatus);
        var checks = Checks(applied);
        Assert.Equal(("passed", $"all {MigrationSet.Embedded.Find(1)!.Expects.Count} declared objects exist"), checks["V0001 declared objects"]);
        Assert.Equal("skipped", checks["V0002 declared objects"].Status);
        Assert.Equal(("passed", "10 tables readable; current entities: none"), checks["seed tables readable"]);
        Assert.Equal("passed", checks["agent query"].Status);

        Assert.Equal((HttpStatusCode.Conflict, "urn:plant:problem:approval-required"), (refusedStatus, refused.GetProperty("type").GetString()));
        Assert.Contains("catalog.certificate (", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, rollbackStatus);
        Assert.Equal(("down", "succeeded", 1), (rolledBack.GetProperty("operation").GetString(), rolledBack.GetProperty("outcome").GetString(), rolledBack.GetProperty("toVersion").GetInt32()));
        var after = Checks(rolledBack);
        Assert.Equal(["seed tables readable", "agent query"], after.Keys);
        Assert.Equal(("passed", "current active agents with their subtype: 20 row(s) (at most 20)"), after["agent query"]);
        Assert.Contains("50 agent", after["seed tables readable"].Detail, StringComparison.Ordinal);

        Assert.Equal(1, overview.GetProperty("currentVersion").GetInt32());
        Assert.Equal(["down", "down", "up"], overview.GetProperty("lastRuns").EnumerateArray().Select(r => r.GetProperty("operation").GetString()));
    }

    [Theory]
    [InlineData("/api/v1/migrations/apply", """{ "target": 0 }""", HttpStatusCode.BadRequest, "bad-request")]
    [InlineData("/api/v1/migrations/apply", """{ "target": 99 }""", HttpStatusCode.UnprocessableEntity, "unknown-version")]
    [InlineData("/api/v1/migrations/apply", """{ "target": "two" }""", HttpStatusCode.BadRequest, "malformed-json")]
    [InlineData("/api/v1/migrations/apply", """{ "approvalId": "not-a-guid" }""", HttpStatusCode.BadRequest, "malformed-json")]
    [InlineData("/api/v1/migrations/plan", """{ "targte": 1 }""", HttpStatusCode.BadRequest, "malformed-json")]
    [InlineData("/api/v1/migrations/plan", """{ "target": -1 }""", HttpStatusCode.BadRequest, "bad-request")]
    [InlineData("/api/v1/migrations/rollback", """{ }""", HttpStatusCode.BadRequest, "malformed-json")]
    [InlineData("/api/v1/migrations/rollback", """{ "target": -1 }""", HttpStatusCode.BadRequest, "bad-request")]
    [InlineData("/api/v1/migrations/rollback", """{ "target": 2 }""", HttpStatusCode.Conflict, "target-conflict")]
    // A number sent as a string is not a number: "0" once rolled the database back to nothing.
    [InlineData("/api/v1/migrations/rollback", """{ "target": "0" }""", HttpStatusCode.BadRequest, "malformed-json")]
    [InlineData("/api/v1/migrations/apply", """{ "target": "2" }""", HttpStatusCode.BadRequest, "malformed-json")]
    [InlineData("/api/v1/migrations/apply", """{ "target": 2, "target": 1 }""", HttpStatusCode.BadRequest, "malformed-json")]
    [InlineData("/api/v1/migrations/apply", "null", HttpStatusCode.BadRequest, "malformed-json")]
    [InlineData("/api/v1/migrations/plan", "null", HttpStatusCode.BadRequest, "malformed-json")]
    [InlineData("/api/v1/migrations/rollback", """{ "target": 7 }""", HttpStatusCode.UnprocessableEntity, "unknown-version")]
    public async Task Bad_input_is_a_4xx_problem_naming_what_is_wrong_and_changes_nothing(string path, string json, HttpStatusCode status, string slug)
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_routes_bad");
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.Tables(2), "local");
        await MigrateHosts.PostAsync(host, "/api/v1/migrations/apply", new { target = 1 });
        using var request = TestHost.Request(HttpMethod.Post, path, TestHost.MasterKey);
        request.Content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await host.Client.SendAsync(request);

        var problem = await Problem.AssertAsync(response, status, slug);
        if (slug == "bad-request")
        {
            Assert.Equal("target", problem.GetProperty("parameter").GetString());
        }

        Assert.Equal([1], await db.VersionsAsync());
        Assert.Single(await db.RunsAsync());
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_415()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_routes_415");
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.Tables(1), "local");
        using var request = TestHost.Request(HttpMethod.Post, "/api/v1/migrations/apply", TestHost.MasterKey);
        request.Content = new StringContent("target=1", Encoding.UTF8, "application/x-www-form-urlencoded");

        using var response = await host.Client.SendAsync(request);

        await Problem.AssertAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        Assert.Empty(await db.VersionsAsync());
    }

    [Theory]
    [InlineData("GET", "/api/v1/migrations")]
    [InlineData("POST", "/api/v1/migrations/plan")]
    [InlineData("POST", "/api/v1/migrations/apply")]
    [InlineData("POST", "/api/v1/migrations/approvals")]
    [InlineData("POST", "/api/v1/migrations/rollback")]
    public async Task Every_migration_route_takes_only_the_master_key(string method, string path)
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_routes_keys");
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.Tables(1), "local");

        using var withFunctionKey = await host.Client.SendAsync(TestHost.Request(new HttpMethod(method), path, TestHost.FunctionKey));
        using var withoutKey = await host.Client.SendAsync(TestHost.Request(new HttpMethod(method), path, null));

        await Problem.AssertAsync(withFunctionKey, HttpStatusCode.Unauthorized, "unauthorized");
        await Problem.AssertAsync(withoutKey, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Empty(await db.VersionsAsync());
    }

    private static Dictionary<string, (string Status, string Detail)> Checks(System.Text.Json.JsonElement run) =>
        run.GetProperty("smokeChecks").EnumerateArray().ToDictionary(
            c => c.GetProperty("name").GetString()!,
            c => (c.GetProperty("status").GetString()!, c.GetProperty("detail").GetString()!));
}

using System.Net;
using Plant.Core.Migrations;
using Plant.Migrate.Tests.Support;
using Plant.Testing.Hosting;

namespace Plant.Migrate.Tests.Routes;

/// <summary>The Migrate app (in uat, without backups) on a PostgreSQL server of its own, which the tests stop and restart.</summary>
public sealed class MigrateOutageDrill : IAsyncLifetime
{
    public OutageDrill Drill { get; private set; } = null!;

    public async Task InitializeAsync() => Drill = await OutageDrill.StartAsync(
        MigrateHosts.App(null), new Dictionary<string, string?> { ["PLANT_ENVIRONMENT"] = "uat", ["PLANT_BACKUP"] = "none" });

    public async Task DisposeAsync() => await Drill.DisposeAsync();
}

/// <summary>
/// Every route of the Migrate app, and its timer run as Cloud Scheduler runs it, while its database is stopped (a 503
/// problem with Retry-After, never a 500) and just after it restarted (no request fails because its pooled connection
/// is from before the restart).
/// </summary>
public sealed class DatabaseOutageTests(MigrateOutageDrill fixture) : IClassFixture<MigrateOutageDrill>
{
    private const string Timer = "POST /admin/functions/{name}";
    private static readonly int s_latest = MigrationSet.Embedded.Migrations[^1].Version;

    private static readonly OutageRequest[] s_requests =
    [
        new("GET /api/v1/migrations", "/api/v1/migrations", Key: TestHost.MasterKey),
        new("POST /api/v1/migrations/plan", "/api/v1/migrations/plan", Key: TestHost.MasterKey),
        // Nothing is pending, so there is nothing to approve, apply or roll back: each still has to ask the database.
        new("POST /api/v1/migrations/approvals", "/api/v1/migrations/approvals", HttpStatusCode.Conflict, TestHost.MasterKey,
            () => $$"""{"planChecksum":"{{new string('0', 64)}}","approvedBy":"Ada Operator"}"""),
        new("POST /api/v1/migrations/apply", "/api/v1/migrations/apply", Key: TestHost.MasterKey),
        new("POST /api/v1/migrations/rollback", "/api/v1/migrations/rollback", Key: TestHost.MasterKey, Body: () => $$"""{"target":{{s_latest}}}"""),
        new("POST /api/v1/retention/purge", "/api/v1/retention/purge", Key: TestHost.MasterKey, Body: () => """{"dryRun":true}"""),
        new(Timer, MigrateHosts.TimerPath, HttpStatusCode.Accepted, TestHost.MasterKey),
    ];

    public static TheoryData<string> Routes => [.. s_requests.Select(r => r.Route)];

    private OutageDrill Drill => fixture.Drill;

    [Fact]
    public void The_table_has_every_route_the_app_serves() =>
        Assert.Equal(Drill.FunctionRoutes().Append(Timer).Order(), s_requests.Select(r => r.Route).Order());

    [Theory]
    [MemberData(nameof(Routes))]
    public Task While_the_database_is_down_the_route_is_503_and_it_answers_once_the_database_is_back(string route) =>
        Drill.AssertDownThenBackAsync(s_requests.Single(r => r.Route == route));

    [Theory]
    [MemberData(nameof(Routes))]
    public Task A_database_restart_while_the_app_is_idle_fails_no_request(string route) =>
        Drill.AssertRestartFailsNothingAsync(s_requests.Single(r => r.Route == route), s_requests[0]);
}

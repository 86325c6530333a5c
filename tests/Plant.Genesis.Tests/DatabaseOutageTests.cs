using System.Net;
using Plant.Core.Seed;
using Plant.Testing.Hosting;

namespace Plant.Genesis.Tests;

/// <summary>The Genesis app on a PostgreSQL server of its own, which the tests stop and restart.</summary>
public sealed class GenesisOutageDrill : IAsyncLifetime
{
    public OutageDrill Drill { get; private set; } = null!;

    public async Task InitializeAsync() => Drill = await OutageDrill.StartAsync(GenesisApp.Definition);

    public async Task DisposeAsync() => await Drill.DisposeAsync();
}

/// <summary>
/// Every route of the Genesis app while its database is stopped (a 503 problem with Retry-After, never a 500) and
/// just after it restarted (no request fails because its pooled connection is from before the restart).
/// </summary>
public sealed class DatabaseOutageTests(GenesisOutageDrill fixture) : IClassFixture<GenesisOutageDrill>
{
    private const string Create = "POST /api/v1/genesis/{type}";
    private static readonly Guid s_skill = SeedIds.Entity("skill", "Fraud Detection");
    private static readonly Guid s_unknown = Guid.NewGuid();

    private static readonly OutageRequest[] s_requests =
    [
        new("POST /api/v1/genesis/validate", "/api/v1/genesis/validate", Body: () => SkillDraft("""{"entityType":"skill",""")),
        // A new name each time, so that every send creates an entity.
        new(Create, "/api/v1/genesis/skills", HttpStatusCode.Created, Body: () => SkillDraft("{")),
        new("GET /api/v1/genesis/{type}", "/api/v1/genesis/skills?limit=5"),
        new("GET /api/v1/genesis/{type}/{id:guid}", $"/api/v1/genesis/skills/{s_skill}"),
        new("GET /api/v1/genesis/{type}/{id:guid}/versions", $"/api/v1/genesis/skills/{s_skill}/versions"),
        new("POST /api/v1/genesis/{type}/{id:guid}/amendments", $"/api/v1/genesis/skills/{s_unknown}/amendments", HttpStatusCode.NotFound, Body: () => SkillDraft("{"), Headers: ("If-Match", "\"1\"")),
        new("POST /api/v1/genesis/{type}/{id:guid}/certify", $"/api/v1/genesis/skills/{s_unknown}/certify", HttpStatusCode.NotFound, TestHost.MasterKey),
        new("POST /api/v1/genesis/{type}/{id:guid}/suspend", $"/api/v1/genesis/skills/{s_unknown}/suspend", HttpStatusCode.NotFound, TestHost.MasterKey),
        new("POST /api/v1/genesis/{type}/{id:guid}/reinstate", $"/api/v1/genesis/skills/{s_unknown}/reinstate", HttpStatusCode.NotFound, TestHost.MasterKey),
        new("POST /api/v1/genesis/{type}/{id:guid}/retire", $"/api/v1/genesis/skills/{s_unknown}/retire", HttpStatusCode.NotFound, TestHost.MasterKey),
        new("GET /api/v1/genesis/certificates/{id:guid}", $"/api/v1/genesis/certificates/{s_unknown}", HttpStatusCode.NotFound),
        new("POST /api/v1/genesis/certificates/verify", "/api/v1/genesis/certificates/verify", HttpStatusCode.NotFound, Body: () => $$"""{"certificateId":"{{s_unknown}}"}"""),
        new("GET /api/v1/genesis/audit/verify", "/api/v1/genesis/audit/verify"),
        new("POST /api/v1/genesis/audit/verify", "/api/v1/genesis/audit/verify",
            Body: () => $$"""{"sequence":0,"hash":"{{new string('0', 64)}}","signedAt":"2026-12-01T00:00:00Z","keyId":"k","signature":"AA=="}"""),
    ];

    public static TheoryData<string> Routes => [.. s_requests.Select(r => r.Route)];

    private OutageDrill Drill => fixture.Drill;

    [Fact]
    public void The_table_has_every_route_the_app_serves() => Assert.Equal(Drill.FunctionRoutes().Order(), s_requests.Select(r => r.Route).Order());

    [Theory]
    [MemberData(nameof(Routes))]
    public Task While_the_database_is_down_the_route_is_503_and_it_answers_once_the_database_is_back(string route) =>
        Drill.AssertDownThenBackAsync(s_requests.Single(r => r.Route == route));

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_database_restart_while_the_app_is_idle_fails_no_request(string route)
    {
        var (entities, entries) = (await Drill.CountAsync("select count(*) from catalog.entity"), await Drill.CountAsync("select count(*) from genesis.audit_entry"));

        await Drill.AssertRestartFailsNothingAsync(s_requests.Single(r => r.Route == route), s_requests.Single(r => r.Route == "GET /api/v1/genesis/{type}"));

        // Run again after its stale connection, a create still makes one entity with one audit entry.
        var created = route == Create ? 1 : 0;
        Assert.Equal(entities + created, await Drill.CountAsync("select count(*) from catalog.entity"));
        Assert.Equal(entries + created, await Drill.CountAsync("select count(*) from genesis.audit_entry"));
    }

    private static string SkillDraft(string start) =>
        start + $$"""
            "name":"Ledger Reconciliation {{Guid.NewGuid():N}}",
            "description":"Matches bank statements against the general ledger and explains every difference that remains.",
            "category":"analytical"}
            """;
}

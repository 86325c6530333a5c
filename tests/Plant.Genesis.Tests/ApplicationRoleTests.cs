using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Plant.Core.Seed;
using Plant.Genesis.Tests.Support;
using Plant.Hosting;
using Plant.Testing;
using Plant.Testing.Hosting;
using Xunit;

namespace Plant.Genesis.Tests;

/// <summary>Genesis serving a seeded database as a login that is a member of plant_app only.</summary>
public sealed class GenesisAsApplication() : AppAsApplicationFixture("genesis_app_role")
{
    protected override FunctionApp App => GenesisApp.Definition;

    protected override IDictionary<string, string?> Settings => TestSigningKeys.Settings.ToDictionary(p => p.Key, p => (string?)p.Value);
}

/// <summary>Genesis's whole flow with no privilege beyond plant_app's: every step succeeds.</summary>
public sealed class ApplicationRoleTests(GenesisAsApplication app) : IClassFixture<GenesisAsApplication>
{
    [Fact]
    public async Task Genesis_creates_amends_certifies_suspends_and_verifies_as_a_member_of_plant_app()
    {
        var validation = await SendAsync(HttpMethod.Post, "/api/v1/genesis/validate", HttpStatusCode.OK, new
        {
            entityType = "agent",
            name = Drafts.Name("Validated"),
            description = "Watches card payments around the clock and blocks transactions that look like account takeover.",
            industryId = Drafts.FinancialServices,
            jobRoleId = Drafts.FraudAnalyst,
            skillIds = new[] { Drafts.FraudDetection, Drafts.SqlModeling, Drafts.ReportWriting },
            availability = "available",
            pricePerHour = 10m,
            currency = "USD",
        });

        // One draft of each type writes every subtype and link table.
        var skill = await CreateAsync("skills", Drafts.Skill());
        var role = await CreateAsync("job-roles", Drafts.JobRole());
        var team = await CreateAsync("teams", Drafts.Team());
        var agent = await CreateAsync("agents", Drafts.Agent());
        var industry = await CreateAsync("industries", Drafts.Industry());

        var amended = await SendAsync(HttpMethod.Post, $"/api/v1/genesis/industries/{industry}/amendments", HttpStatusCode.Created, Drafts.Industry(),
            headers: ("If-Match", "\"1\""));
        var certified = await SendAsync(HttpMethod.Post, $"/api/v1/genesis/industries/{industry}/certify", HttpStatusCode.Created, key: TestHost.MasterKey);
        var suspended = await SendAsync(HttpMethod.Post, $"/api/v1/genesis/industries/{industry}/suspend", HttpStatusCode.OK, key: TestHost.MasterKey);
        await SendAsync(HttpMethod.Post, $"/api/v1/genesis/agents/{agent}/certify", HttpStatusCode.Created, key: TestHost.MasterKey);
        await SendAsync(HttpMethod.Post, $"/api/v1/genesis/job-roles/{role}/retire", HttpStatusCode.OK, key: TestHost.MasterKey);
        await SendAsync(HttpMethod.Get, $"/api/v1/genesis/industries/{industry}/versions", HttpStatusCode.OK);
        await SendAsync(HttpMethod.Get, $"/api/v1/genesis/skills/{skill}", HttpStatusCode.OK);
        await SendAsync(HttpMethod.Get, $"/api/v1/genesis/teams/{team}", HttpStatusCode.OK);
        await SendAsync(HttpMethod.Get, "/api/v1/genesis/agents?limit=5", HttpStatusCode.OK);

        var certificateId = certified.GetProperty("certificate").GetProperty("certificateId").GetGuid();
        await SendAsync(HttpMethod.Get, $"/api/v1/genesis/certificates/{certificateId}", HttpStatusCode.OK);
        var verification = await SendAsync(HttpMethod.Post, "/api/v1/genesis/certificates/verify", HttpStatusCode.OK, new { certificateId });
        var audit = await SendAsync(HttpMethod.Get, "/api/v1/genesis/audit/verify", HttpStatusCode.OK);

        Assert.True(validation.GetProperty("valid").GetBoolean(), validation.ToString());
        Assert.Equal(2, amended.GetProperty("version").GetInt32());
        Assert.Equal("suspended", suspended.GetProperty("status").GetString());
        Assert.True(verification.GetProperty("valid").GetBoolean(), verification.ToString());
        Assert.True(audit.GetProperty("intact").GetBoolean(), audit.ToString());
        // Seed, five creations, an amendment, two certifications, a suspension and a retirement.
        Assert.True(audit.GetProperty("entries").GetInt64() > 10, audit.ToString());
        Assert.DoesNotContain(app.Host.Logs.Lines, line => line.Message.Contains("permission denied", StringComparison.OrdinalIgnoreCase));
        // The host really worked as the login: its pooled connections are the login's.
        await using var sessions = app.DataSource.CreateCommand("select count(*) from pg_stat_activity where usename = @login");
        sessions.Parameters.AddWithValue("login", app.Login.Name);
        Assert.NotEqual(0L, (long)(await sessions.ExecuteScalarAsync())!);
    }

    private async Task<Guid> CreateAsync(string type, object draft) =>
        (await SendAsync(HttpMethod.Post, $"/api/v1/genesis/{type}", HttpStatusCode.Created, draft)).GetProperty("id").GetGuid();

    private async Task<JsonElement> SendAsync(
        HttpMethod method, string path, HttpStatusCode expected, object? body = null, string key = TestHost.FunctionKey, params (string Name, string Value)[] headers)
    {
        using var request = TestHost.Request(method, path, key);
        if (body is not null)
        {
            request.Content = TestJson.Content(body);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await app.ExpectAsync(request, expected);
    }
}

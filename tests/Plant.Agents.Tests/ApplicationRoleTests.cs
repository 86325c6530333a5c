using System.Net;
using System.Text;
using System.Text.Json;
using Plant.Agents.Tests.Support;
using Plant.Core.Seed;
using Plant.Hosting;
using Plant.Testing;
using Plant.Testing.Hosting;

namespace Plant.Agents.Tests;

/// <summary>The Agents app serving a seeded database as a login that is a member of plant_app only.</summary>
public sealed class AgentsAsApplication() : AppAsApplicationFixture("agents_app_role")
{
    /// <summary>The agent whose stored profile vector the fixture made stale.</summary>
    public static Guid StaleAgent => Seeded.Agent("Sentinel");

    protected override FunctionApp App => AgentsApp.Definition;

    protected override async Task PrepareAsOwnerAsync()
    {
        // A stored profile vector that no longer matches its agent: the index load replaces it (an UPDATE).
        await using (var stale = DataSource.CreateCommand(
            "insert into catalog.agent_profile_embedding (agent_id, embedder, profile_key, catalog_version, embedding) values (@id, @embedder, sha256('stale'), 0, array_fill(0::real, array[384]))"))
        {
            stale.Parameters.AddWithValue("id", StaleAgent);
            stale.Parameters.AddWithValue("embedder", Core.Embeddings.MiniLmEmbedder.Identity);
            await stale.ExecuteNonQueryAsync();
        }
    }

    // The index loads in the background at start-up, as the login too.
    protected override Task StartedAsync() => SeededCatalog.WarmUpAsync(Host);
}

/// <summary>The Agents app's whole flow with no privilege beyond plant_app's: every step succeeds.</summary>
public sealed class ApplicationRoleTests(AgentsAsApplication app) : IClassFixture<AgentsAsApplication>
{
    [Fact]
    public async Task Agents_lists_searches_reads_the_catalog_and_runs_trials_as_a_member_of_plant_app()
    {
        var sentinel = AgentsAsApplication.StaleAgent;

        // The first page makes the cursor key; the second reads it back.
        var first = await SendAsync(HttpMethod.Get, "/api/v1/agents?limit=5", HttpStatusCode.OK);
        await SendAsync(HttpMethod.Get, $"/api/v1/agents?limit=5&cursor={Uri.EscapeDataString(Json.NextCursor(first)!)}", HttpStatusCode.OK);
        await SendAsync(HttpMethod.Get, $"/api/v1/agents/{sentinel}", HttpStatusCode.OK);
        var search = await SendAsync(HttpMethod.Get, "/api/v1/agents/search?q=fraud%20detection&k=5", HttpStatusCode.OK);
        foreach (var (route, id) in new[]
        {
            ("skills", Seeded.Skill("Fraud Detection")),
            ("job-roles", Seeded.JobRole("Fraud Analyst")),
            ("industries", Seeded.Industry("Financial Services")),
            ("teams", Seeded.Team("Fraud Response Team")),
        })
        {
            await SendAsync(HttpMethod.Get, $"/api/v1/{route}", HttpStatusCode.OK);
            await SendAsync(HttpMethod.Get, $"/api/v1/{route}/{id}", HttpStatusCode.OK);
        }

        var key = Guid.NewGuid().ToString();
        var customer = "app-role-" + Guid.NewGuid().ToString("N");
        var trialJson = $$$"""{"agentId":"{{{sentinel}}}","customer":{"id":"{{{customer}}}","email":"someone@example.com"}}""";
        var started = await SendAsync(HttpMethod.Post, "/api/v1/trials", HttpStatusCode.Created, trialJson, ("Idempotency-Key", key));
        var replayed = await SendAsync(HttpMethod.Post, "/api/v1/trials", HttpStatusCode.Created, trialJson, ("Idempotency-Key", key));
        var trial = started.GetProperty("id").GetGuid();
        await SendAsync(HttpMethod.Get, $"/api/v1/trials/{trial}", HttpStatusCode.OK);
        var cancelled = await SendAsync(HttpMethod.Post, $"/api/v1/trials/{trial}/cancel", HttpStatusCode.OK);

        Assert.NotEmpty(Json.Items(search));
        Assert.Equal(started.ToString(), replayed.ToString());
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal(1L, await ScalarAsync<long>("select count(*) from plant_agents.cursor_key"));
        Assert.Equal(await ScalarAsync<long>("select count(*) from catalog.entity where entity_type = 'agent'"), await ScalarAsync<long>("select count(*) from catalog.agent_profile_embedding"));
        Assert.False(await ScalarAsync<bool>("select profile_key = sha256('stale') from catalog.agent_profile_embedding where agent_id = @id", ("id", sentinel)));
        Assert.StartsWith("Search index loaded at start-up: ",
            Assert.Single(app.Host.Logs.Lines, line => line.Category == typeof(SearchIndexWarmUp).FullName).Message, StringComparison.Ordinal);
        Assert.DoesNotContain(app.Host.Logs.Lines, line => line.Message.Contains("permission denied", StringComparison.OrdinalIgnoreCase));
        // The host really worked as the login: its pooled connections are the login's.
        Assert.NotEqual(0L, await ScalarAsync<long>("select count(*) from pg_stat_activity where usename = @login", ("login", app.Login.Name)));
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, HttpStatusCode expected, string? json = null, params (string Name, string Value)[] headers)
    {
        using var request = TestHost.Request(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await app.ExpectAsync(request, expected);
    }

    /// <summary>As the owner (the fixture's superuser), not as the login.</summary>
    private async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = app.DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }
}

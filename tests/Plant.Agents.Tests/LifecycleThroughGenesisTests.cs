using System.Net;
using Plant.Agents.Tests.Support;
using Plant.Core.Catalog;
using Plant.Core.Genesis;
using Plant.Testing.Hosting;

namespace Plant.Agents.Tests;

/// <summary>The seeded catalog that the classes of this collection change through Genesis's services, each test on entities of its own.</summary>
[CollectionDefinition(Name)]
public sealed class GenesisChangedCatalog : ICollectionFixture<SeededCatalog>
{
    public const string Name = "seeded catalog, changed through Genesis";
}

/// <summary>
/// An agent suspended or retired through Genesis (the services its suspend, reinstate and retire routes call)
/// disappears from everything the portals read: lists, its profile, search (the in-process index notices through
/// the change marker), its team's members; and it cannot be tried. Reinstated, it is back.
/// </summary>
[Collection(GenesisChangedCatalog.Name)]
public sealed class LifecycleThroughGenesisTests(SeededCatalog catalog) : IDisposable
{
    private readonly GenesisWriter _genesis = new(catalog.DataSource);

    [Theory]
    [InlineData(LifecycleChange.Suspend, "suspended", "pelican")]
    [InlineData(LifecycleChange.Retire, "retired", "flamingo")]
    public async Task An_agent_taken_out_of_service_leaves_lists_profile_search_and_its_team_and_cannot_be_tried(
        LifecycleChange change, string status, string word)
    {
        var name = $"Out of service {word} watcher";
        var (agent, team) = await _genesis.TeamWithAgentAsync(name, $"Watches {word} invoices for duplicate payments and reports them to the controller.");
        await AssertServedAsync(agent, team, name, word);

        var changed = await _genesis.ChangeAsync(EntityType.Agent, agent, change);
        Assert.Equal((WriteOutcome.Written, status), (changed.Outcome, changed.Entity!.Status.SchemaName()));

        await AssertNotServedAsync(agent, team, name, word);
        // Still there for whoever asks for its status: the partner portal's view of its own agents.
        var profile = await catalog.GetJsonAsync($"/api/v1/agents/{agent}?status={status}");
        Assert.Equal((status, "certified"), (profile.GetProperty("status").GetString(), profile.GetProperty("certification").GetProperty("status").GetString()));
        Assert.Equal([name], Json.Names(await catalog.GetJsonAsync($"/api/v1/agents?team={team}&status={status}")));
        // The index itself saw the change (a stale index would still hold the agent as active and filter it out here).
        Assert.Contains(name, await SearchNamesAsync($"{word} invoices", $"&status={status}"));
    }

    [Fact]
    public async Task A_reinstated_agent_is_served_again_and_can_be_tried()
    {
        var name = "Reinstated toucan watcher";
        var (agent, team) = await _genesis.TeamWithAgentAsync(name, "Watches toucan invoices for duplicate payments and reports them to the controller.");
        await _genesis.ChangeAsync(EntityType.Agent, agent, LifecycleChange.Suspend);
        await AssertNotServedAsync(agent, team, name, "toucan");

        var reinstated = await _genesis.ChangeAsync(EntityType.Agent, agent, LifecycleChange.Reinstate);

        Assert.Equal(LifecycleStatus.Active, reinstated.Entity!.Status);
        await AssertServedAsync(agent, team, name, "toucan");
        using var trial = await StartTrialAsync(agent);
        Assert.Equal(HttpStatusCode.Created, trial.StatusCode);
    }

    [Fact]
    public async Task A_retired_agent_is_not_reinstated()
    {
        var name = "Retired heron watcher";
        var (agent, team) = await _genesis.TeamWithAgentAsync(name, "Watches heron invoices for duplicate payments and reports them to the controller.");
        await _genesis.ChangeAsync(EntityType.Agent, agent, LifecycleChange.Retire);

        var reinstated = await _genesis.ChangeAsync(EntityType.Agent, agent, LifecycleChange.Reinstate);

        Assert.Equal(WriteOutcome.Conflict, reinstated.Outcome);
        await AssertNotServedAsync(agent, team, name, "heron");
    }

    public void Dispose() => _genesis.Dispose();

    /// <summary>Listed, shown, found, a member of its team; search is run first, so the index holds it before any change.</summary>
    private async Task AssertServedAsync(Guid agent, Guid team, string name, string word)
    {
        Assert.Equal(name, (await SearchNamesAsync($"{word} invoices"))[0]);
        Assert.Equal([name], Json.Names(await catalog.GetJsonAsync($"/api/v1/agents?team={team}")));
        Assert.Equal([name], Json.Names(await catalog.GetJsonAsync($"/api/v1/agents?q={Uri.EscapeDataString(name)}")));
        Assert.Equal(("active", "certified"), await StatusAsync(agent));
        Assert.Equal([name], await MemberNamesAsync(team));
    }

    /// <summary>Not listed (default filters), not shown, not found, not among its team's members, and a trial is refused, writing nothing.</summary>
    private async Task AssertNotServedAsync(Guid agent, Guid team, string name, string word)
    {
        Assert.Empty(Json.Items(await catalog.GetJsonAsync($"/api/v1/agents?team={team}")));
        Assert.Empty(Json.Items(await catalog.GetJsonAsync($"/api/v1/agents?q={Uri.EscapeDataString(name)}")));
        Assert.DoesNotContain(name, await SearchNamesAsync($"{word} invoices"));
        using (var profile = await catalog.SendAsync(HttpMethod.Get, $"/api/v1/agents/{agent}"))
        {
            await Problem.AssertAsync(profile, HttpStatusCode.NotFound, "not-found");
        }

        Assert.Empty(await MemberNamesAsync(team));

        var before = await catalog.DigestAsync();
        using (var trial = await StartTrialAsync(agent))
        {
            await Problem.AssertAsync(trial, HttpStatusCode.Conflict, "agent-unavailable");
        }

        Assert.Equal(before, await catalog.DigestAsync());
        Assert.Equal(0L, await catalog.ScalarAsync<long>("select count(*) from catalog.trial where agent_id = @id", ("id", agent)));
    }

    private async Task<(string?, string?)> StatusAsync(Guid agent)
    {
        var profile = await catalog.GetJsonAsync($"/api/v1/agents/{agent}");
        return (profile.GetProperty("status").GetString(), profile.GetProperty("certification").GetProperty("status").GetString());
    }

    private async Task<List<string>> MemberNamesAsync(Guid team) =>
        [.. (await catalog.GetJsonAsync($"/api/v1/teams/{team}")).GetProperty("members").EnumerateArray().Select(m => m.GetProperty("name").GetString()!)];

    private Task<HttpResponseMessage> StartTrialAsync(Guid agent) => catalog.SendAsync(HttpMethod.Post, "/api/v1/trials",
        $$$"""{"agentId":"{{{agent}}}","customer":{"id":"customer-{{{Guid.NewGuid():N}}}","email":"customer@example.com"}}""");

    private async Task<List<string>> SearchNamesAsync(string q, string extra = "")
    {
        var body = await catalog.GetJsonAsync($"/api/v1/agents/search?q={Uri.EscapeDataString(q)}{extra}");
        return [.. Json.Items(body).Select(h => h.GetProperty("agent").GetProperty("name").GetString()!)];
    }
}

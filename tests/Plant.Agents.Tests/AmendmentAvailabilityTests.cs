using System.Diagnostics;
using System.Net;
using Plant.Agents.Tests.Support;
using Plant.Core.Catalog;
using Plant.Core.Genesis;
using Plant.Testing.Hosting;

namespace Plant.Agents.Tests;

/// <summary>
/// An amendment through Genesis writes a new current version, a draft (or suspended, if the agent was): the agent
/// is out of service, everywhere at once, until that version is certified, and a rejected amendment keeps it out.
/// Nothing in between shows a draft as certified or lets a trial start.
/// </summary>
[Collection(GenesisChangedCatalog.Name)]
public sealed class AmendmentAvailabilityTests(SeededCatalog catalog) : IDisposable
{
    private readonly GenesisWriter _genesis = new(catalog.DataSource);

    [Fact]
    public async Task An_amended_agent_is_out_of_service_until_the_new_version_is_certified()
    {
        var name = "Amended ibis watcher";
        var (agent, team) = await _genesis.TeamWithAgentAsync(name, "Watches ibis invoices for duplicate payments and reports them to the controller.");
        Assert.Equal(name, (await SearchNamesAsync("ibis invoices"))[0]);
        using (var started = await StartTrialAsync(agent, "ibis-before"))
        {
            Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        }

        var trialBefore = await catalog.ScalarAsync<Guid>("select v.entity_id from catalog.trial t join catalog.entity_version v using (version_id) where t.agent_id = @id", ("id", agent));

        await _genesis.AmendAsync(agent, GenesisWriter.Agent(name, "Watches ibis receipts for split purchases and reports them to the controller.", team));

        // Out of service: not listed, not shown, not found, not a member, not tried.
        Assert.Empty(Json.Items(await catalog.GetJsonAsync($"/api/v1/agents?team={team}")));
        Assert.DoesNotContain(name, await SearchNamesAsync("ibis receipts"));
        using (var profile = await catalog.SendAsync(HttpMethod.Get, $"/api/v1/agents/{agent}"))
        {
            await Problem.AssertAsync(profile, HttpStatusCode.NotFound, "not-found");
        }

        Assert.Empty((await catalog.GetJsonAsync($"/api/v1/teams/{team}")).GetProperty("members").EnumerateArray());
        using (var refused = await StartTrialAsync(agent, "ibis-during"))
        {
            var problem = await Problem.AssertAsync(refused, HttpStatusCode.Conflict, "agent-unavailable");
            Assert.Contains("draft", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // Asked for, the new version is a draft whose certification is pending: nothing of version 1's certificate shows.
        var draft = await catalog.GetJsonAsync($"/api/v1/agents/{agent}?status=draft");
        Assert.Equal((2, "draft", "Watches ibis receipts for split purchases and reports them to the controller."),
            (draft.GetProperty("version").GetInt32(), draft.GetProperty("status").GetString(), draft.GetProperty("description").GetString()));
        Assert.Equal("{\"status\":\"pending\",\"certifiedAt\":null,\"certificateId\":null}", draft.GetProperty("certification").GetRawText());
        Assert.Empty(Json.Items(await catalog.GetJsonAsync($"/api/v1/agents?team={team}&status=draft&certified=true")));
        Assert.Equal([name], Json.Names(await catalog.GetJsonAsync($"/api/v1/agents?team={team}&status=draft&certified=false")));
        Assert.Contains(name, await SearchNamesAsync("ibis receipts", "&status=draft"));
        // A trial started before goes on.
        Assert.Equal("active", (await catalog.GetJsonAsync($"/api/v1/trials/{trialBefore}")).GetProperty("status").GetString());

        var certified = await _genesis.CertifyAsync(EntityType.Agent, agent);

        var profileAfter = await catalog.GetJsonAsync($"/api/v1/agents/{agent}");
        Assert.Equal((2, "active", "certified", certified.CertificateRef),
            (profileAfter.GetProperty("version").GetInt32(), profileAfter.GetProperty("status").GetString(),
             profileAfter.GetProperty("certification").GetProperty("status").GetString(), profileAfter.GetProperty("certification").GetProperty("certificateId").GetString()));
        Assert.Equal(name, (await SearchNamesAsync("ibis receipts"))[0]);
        Assert.Equal([name], Json.Names(await catalog.GetJsonAsync($"/api/v1/agents?team={team}")));
        Assert.Single((await catalog.GetJsonAsync($"/api/v1/teams/{team}")).GetProperty("members").EnumerateArray());
        using var after = await StartTrialAsync(agent, "ibis-after");
        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
    }

    [Fact]
    public async Task A_rejected_amendment_keeps_the_agent_out_until_a_good_one_is_certified()
    {
        var name = "Rejected egret watcher";
        var agent = await _genesis.CreateAsync(GenesisWriter.Agent(name, "Watches egret invoices for duplicate payments and reports them to the controller."));
        await _genesis.CertifyAsync(EntityType.Agent, agent);

        // Storable, but the constitution refuses it: a description too short to say anything.
        await _genesis.AmendAsync(agent, GenesisWriter.Agent(name, "Egret things."));
        var refused = await _genesis.TryCertifyAsync(EntityType.Agent, agent);

        Assert.Equal(CertifyOutcome.Rejected, refused.Outcome);
        Assert.Empty(Json.Items(await catalog.GetJsonAsync($"/api/v1/agents?q={Uri.EscapeDataString(name)}")));
        var rejected = await catalog.GetJsonAsync($"/api/v1/agents/{agent}?status=rejected");
        Assert.Equal(("rejected", "rejected", 2), (rejected.GetProperty("status").GetString(),
            rejected.GetProperty("certification").GetProperty("status").GetString(), rejected.GetProperty("version").GetInt32()));
        Assert.Equal(JsonNull, rejected.GetProperty("certification").GetProperty("certificateId").ValueKind);
        using (var trial = await StartTrialAsync(agent, "egret"))
        {
            await Problem.AssertAsync(trial, HttpStatusCode.Conflict, "agent-unavailable");
        }

        await _genesis.AmendAsync(agent, GenesisWriter.Agent(name, "Watches egret receipts for split purchases and reports them to the controller."));
        await _genesis.CertifyAsync(EntityType.Agent, agent);

        Assert.Equal(3, (await catalog.GetJsonAsync($"/api/v1/agents/{agent}")).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task A_suspended_agent_amended_stays_suspended_and_is_reinstated_only_once_certified()
    {
        var name = "Suspended crane watcher";
        var agent = await _genesis.CreateAsync(GenesisWriter.Agent(name, "Watches crane invoices for duplicate payments and reports them to the controller."));
        await _genesis.CertifyAsync(EntityType.Agent, agent);
        await _genesis.ChangeAsync(EntityType.Agent, agent, LifecycleChange.Suspend);

        var amended = await _genesis.AmendAsync(agent, GenesisWriter.Agent(name, "Watches crane receipts for split purchases and reports them to the controller."));

        Assert.Equal((LifecycleStatus.Suspended, CertificationStatus.Pending), (amended.Status, amended.CertificationStatus));
        Assert.Equal(WriteOutcome.Conflict, (await _genesis.ChangeAsync(EntityType.Agent, agent, LifecycleChange.Reinstate)).Outcome);
        var certified = await _genesis.CertifyAsync(EntityType.Agent, agent);
        Assert.Equal(LifecycleStatus.Suspended, certified.Status);
        Assert.Empty(Json.Items(await catalog.GetJsonAsync($"/api/v1/agents?q={Uri.EscapeDataString(name)}")));

        await _genesis.ChangeAsync(EntityType.Agent, agent, LifecycleChange.Reinstate);

        Assert.Equal(name, (await SearchNamesAsync("crane receipts"))[0]);
        Assert.Equal(("active", 2), await StatusAndVersionAsync(agent));
    }

    [Fact]
    public async Task A_trial_asked_for_while_an_amendment_commits_is_refused_as_unavailable()
    {
        var name = "Racing stork watcher";
        var agent = await _genesis.CreateAsync(GenesisWriter.Agent(name, "Watches stork invoices for duplicate payments and reports them to the controller."));
        await _genesis.CertifyAsync(EntityType.Agent, agent);

        // The amendment is written and holds its locks; the trial's check of the agent waits for it.
        await using var connection = await catalog.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var amended = await _genesis.Store.AmendAsync(transaction, EntityType.Agent, agent,
            GenesisWriter.Agent(name, "Watches stork receipts for split purchases and reports them to the controller."), null, "agents-tests", Guid.CreateVersion7(), null, default);
        Assert.Equal(WriteOutcome.Written, amended.Outcome);
        var trial = StartTrialAsync(agent, "stork");
        await UntilAgentsAppWaitsForALockAsync();
        await transaction.CommitAsync();

        using var response = await trial;

        await Problem.AssertAsync(response, HttpStatusCode.Conflict, "agent-unavailable");
        Assert.Equal(0L, await catalog.ScalarAsync<long>("select count(*) from catalog.trial where agent_id = @id", ("id", agent)));
    }

    public void Dispose() => _genesis.Dispose();

    private static System.Text.Json.JsonValueKind JsonNull => System.Text.Json.JsonValueKind.Null;

    private async Task UntilAgentsAppWaitsForALockAsync()
    {
        var clock = Stopwatch.StartNew();
        while (await catalog.ScalarAsync<long>("""
            select count(*) from pg_stat_activity
            where datname = current_database() and application_name = 'plant-agents' and wait_event_type = 'Lock'
            """) == 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "The Agents app never waited for the amendment's lock.");
            await Task.Delay(20);
        }
    }

    private async Task<(string?, int)> StatusAndVersionAsync(Guid agent)
    {
        var profile = await catalog.GetJsonAsync($"/api/v1/agents/{agent}");
        return (profile.GetProperty("status").GetString(), profile.GetProperty("version").GetInt32());
    }

    private Task<HttpResponseMessage> StartTrialAsync(Guid agent, string customer) => catalog.SendAsync(HttpMethod.Post, "/api/v1/trials",
        $$$"""{"agentId":"{{{agent}}}","customer":{"id":"{{{customer}}}-{{{Guid.NewGuid():N}}}","email":"customer@example.com"}}""");

    private async Task<List<string>> SearchNamesAsync(string q, string extra = "")
    {
        var body = await catalog.GetJsonAsync($"/api/v1/agents/search?q={Uri.EscapeDataString(q)}{extra}");
        return [.. Json.Items(body).Select(h => h.GetProperty("agent").GetProperty("name").GetString()!)];
    }
}

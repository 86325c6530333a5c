using System.Net;
using System.Text.Json;
using Plant.Genesis.Tests.Support;
using Plant.Hosting;
using Plant.Testing.Hosting;
using Xunit;

namespace Plant.Genesis.Tests;

/// <summary>Suspend, reinstate, retire: lifecycle columns of the current version only, every change audited.</summary>
[Collection(GenesisCollection.Name)]
public sealed class LifecycleTests(GenesisDatabase db)
{
    [Fact]
    public async Task An_active_entity_is_suspended_reinstated_and_retired_each_change_audited()
    {
        var id = await CertifiedAgentAsync();

        var suspended = await ChangeAsync(id, "suspend");
        Assert.Equal(HttpStatusCode.OK, suspended.Status);
        Assert.Equal("suspended", suspended.Body.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, suspended.Body.GetProperty("suspendedAt").ValueKind);

        var reinstated = await ChangeAsync(id, "reinstate");
        Assert.Equal("active", reinstated.Body.GetProperty("status").GetString());

        var retired = await ChangeAsync(id, "retire");
        Assert.Equal("retired", retired.Body.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, retired.Body.GetProperty("retiredAt").ValueKind);

        // Still one version: lifecycle changes update the current row's lifecycle columns, they add no version.
        Assert.Equal(1L, await db.ScalarAsync<long>("select count(*) from catalog.entity_version where entity_id = @id", ("id", id)));
        Assert.Equal("entity.created entity.certified entity.suspended entity.reinstated entity.retired", await db.ScalarAsync<string>(
            "select string_agg(action, ' ' order by sequence) from genesis.audit_entry where entity_id = @id", ("id", id)));
    }

    [Fact]
    public async Task Asking_for_the_state_an_entity_is_in_changes_and_records_nothing()
    {
        var id = await CertifiedAgentAsync();
        await ChangeAsync(id, "suspend");

        var again = await ChangeAsync(id, "suspend");

        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(1L, await db.ScalarAsync<long>("select count(*) from genesis.audit_entry where entity_id = @id and action = 'entity.suspended'", ("id", id)));
    }

    [Fact]
    public async Task A_draft_cannot_be_suspended_or_reinstated_but_can_be_retired()
    {
        var id = (await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/agents", Drafts.Agent()))).GetProperty("id").GetGuid();

        await Problem.AssertAsync((await ChangeAsync(id, "suspend")).Response, HttpStatusCode.Conflict, Problems.Conflict);
        await Problem.AssertAsync((await ChangeAsync(id, "reinstate")).Response, HttpStatusCode.Conflict, Problems.Conflict);
        Assert.Equal("retired", (await ChangeAsync(id, "retire")).Body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_retired_entity_is_never_amended_certified_or_reinstated_again()
    {
        var id = await CertifiedAgentAsync();
        await ChangeAsync(id, "retire");

        await Problem.AssertAsync(await db.PostAsync($"/api/v1/genesis/agents/{id}/amendments", Drafts.Agent(), TestHost.FunctionKey, ("If-Match", "*")), HttpStatusCode.Conflict, Problems.Conflict);
        await Problem.AssertAsync(await db.PostAsync($"/api/v1/genesis/agents/{id}/certify", key: TestHost.MasterKey), HttpStatusCode.Conflict, Problems.Conflict);
        await Problem.AssertAsync((await ChangeAsync(id, "reinstate")).Response, HttpStatusCode.Conflict, Problems.Conflict);
        Assert.Equal(HttpStatusCode.OK, (await ChangeAsync(id, "retire")).Status);
    }

    [Fact]
    public async Task An_amended_suspended_entity_stays_suspended_and_needs_certification_before_reinstatement()
    {
        var name = Drafts.Name("Sleeper");
        var id = await CertifiedAgentAsync(name);
        await ChangeAsync(id, "suspend");

        var amended = await Json.ReadAsync(await db.PostAsync($"/api/v1/genesis/agents/{id}/amendments", Drafts.Agent(name, price: 60m), TestHost.FunctionKey, ("If-Match", "*")));
        Assert.Equal(("suspended", "pending"), (amended.GetProperty("status").GetString(), amended.GetProperty("certification").GetProperty("status").GetString()));
        await Problem.AssertAsync((await ChangeAsync(id, "reinstate")).Response, HttpStatusCode.Conflict, Problems.Conflict);

        var certified = await Json.ReadAsync(await db.PostAsync($"/api/v1/genesis/agents/{id}/certify", key: TestHost.MasterKey));
        Assert.Equal("suspended", certified.GetProperty("entity").GetProperty("status").GetString());
        Assert.Equal("active", (await ChangeAsync(id, "reinstate")).Body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_suspended_dependency_blocks_certification_of_what_relies_on_it()
    {
        var skill = (await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/skills", Drafts.Skill()))).GetProperty("id").GetGuid();
        await db.PostAsync($"/api/v1/genesis/skills/{skill}/certify", key: TestHost.MasterKey);
        var role = (await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/job-roles", Drafts.JobRole(skills: [skill])))).GetProperty("id").GetGuid();
        await db.PostAsync($"/api/v1/genesis/skills/{skill}/suspend", key: TestHost.MasterKey);

        var body = await Problem.AssertAsync(await db.PostAsync($"/api/v1/genesis/job-roles/{role}/certify", key: TestHost.MasterKey),
            HttpStatusCode.UnprocessableEntity, "certification-failed");

        Assert.Contains("L1-JOBROLE-004", Json.RuleIds(body.GetProperty("violations")));
    }

    [Fact]
    public async Task Lifecycle_changes_of_an_unknown_entity_are_404_and_a_stale_if_match_is_412()
    {
        await Problem.AssertAsync((await ChangeAsync(Guid.NewGuid(), "suspend")).Response, HttpStatusCode.NotFound, Problems.NotFound);

        var id = await CertifiedAgentAsync();
        var stale = await db.PostAsync($"/api/v1/genesis/agents/{id}/suspend", key: TestHost.MasterKey, headers: ("If-Match", "\"7\""));
        await Problem.AssertAsync(stale, HttpStatusCode.PreconditionFailed, "precondition-failed");
        Assert.Equal("active", await db.ScalarAsync<string>("select status from catalog.entity_version where entity_id = @id", ("id", id)));
    }

    private async Task<Guid> CertifiedAgentAsync(string? name = null)
    {
        var id = (await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/agents", Drafts.Agent(name)))).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Created, (await db.PostAsync($"/api/v1/genesis/agents/{id}/certify", key: TestHost.MasterKey)).StatusCode);
        return id;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> ChangeAsync(Guid id, string action)
    {
        var response = await db.PostAsync($"/api/v1/genesis/agents/{id}/{action}", key: TestHost.MasterKey);
        var text = await response.Content.ReadAsStringAsync();
        var body = response.IsSuccessStatusCode ? JsonDocument.Parse(text).RootElement.Clone() : default;
        // The body was read here; give the problem assertions a response they can read again.
        response.Content = new StringContent(text, System.Text.Encoding.UTF8, response.Content.Headers.ContentType?.MediaType ?? "application/json");
        return (response.StatusCode, body, response);
    }
}

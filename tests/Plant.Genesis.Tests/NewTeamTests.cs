using System.Net;
using System.Text.Json;
using Plant.Genesis.Tests.Support;
using Plant.Testing.Hosting;
using Xunit;

namespace Plant.Genesis.Tests;

/// <summary>
/// A new team with new agents is built and certified through the routes alone: a team is certified once its members
/// are (L1-TEAM-005), and an agent's team need only be in service, not certified (L1-AGENT-009).
/// </summary>
[Collection(GenesisCollection.Name)]
public sealed class NewTeamTests(GenesisDatabase db)
{
    [Fact]
    public async Task A_new_team_and_its_new_agents_are_drafted_and_certified_agents_first()
    {
        // The team first, as a draft without members (its agents do not exist yet): stored, with L1-TEAM-003's violation.
        var team = await CreatedAsync("teams", Drafts.Team(members: []));
        var teamId = team.GetProperty("id").GetGuid();
        Assert.Contains("L1-TEAM-003", Json.RuleIds(team.GetProperty("validation").GetProperty("violations")));

        var first = (await CreatedAsync("agents", Drafts.Agent(teamId: teamId))).GetProperty("id").GetGuid();
        var second = (await CreatedAsync("agents", Drafts.Agent(teamId: teamId))).GetProperty("id").GetGuid();

        // The agents are certified while their team is still a draft.
        foreach (var agent in new[] { first, second })
        {
            var (status, certified) = await CertifyAsync("agents", agent);
            Assert.True(status == HttpStatusCode.Created, certified.ToString());
            var entity = certified.GetProperty("entity");
            Assert.Equal(("active", teamId), (entity.GetProperty("status").GetString(), entity.GetProperty("teamId").GetGuid()));
        }

        // The team lists its members by amendment, then is certified.
        using var amended = await db.PostAsync($"/api/v1/genesis/teams/{teamId}/amendments", Drafts.Team(team.GetProperty("name").GetString(), [first, second]),
            headers: ("If-Match", "\"1\""));
        Assert.Equal(HttpStatusCode.Created, amended.StatusCode);
        var (teamStatus, teamCertified) = await CertifyAsync("teams", teamId);

        Assert.True(teamStatus == HttpStatusCode.Created, teamCertified.ToString());
        var certifiedTeam = teamCertified.GetProperty("entity");
        Assert.Equal(("active", "certified", 2), (certifiedTeam.GetProperty("status").GetString(),
            certifiedTeam.GetProperty("certification").GetProperty("status").GetString(), certifiedTeam.GetProperty("version").GetInt32()));
        Assert.Equal([first, second], certifiedTeam.GetProperty("memberAgentIds").EnumerateArray().Select(m => m.GetGuid()).Order());
        Assert.Empty(teamCertified.GetProperty("validation").GetProperty("violations").EnumerateArray());
    }

    [Fact]
    public async Task An_agent_cannot_be_certified_into_a_retired_team()
    {
        var teamId = (await CreatedAsync("teams", Drafts.Team(members: []))).GetProperty("id").GetGuid();
        var agent = (await CreatedAsync("agents", Drafts.Agent(teamId: teamId))).GetProperty("id").GetGuid();
        using (var retired = await db.PostAsync($"/api/v1/genesis/teams/{teamId}/retire", key: TestHost.MasterKey))
        {
            Assert.Equal(HttpStatusCode.OK, retired.StatusCode);
        }

        var (status, body) = await CertifyAsync("agents", agent);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var violation = Assert.Single(body.GetProperty("violations").EnumerateArray(), v => v.GetProperty("ruleId").GetString() == "L1-AGENT-009");
        Assert.Equal("teamId", violation.GetProperty("field").GetString());
        Assert.Contains("retired", violation.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private async Task<JsonElement> CreatedAsync(string type, object draft)
    {
        using var response = await db.PostAsync($"/api/v1/genesis/{type}", draft);
        var body = await Json.ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return body;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> CertifyAsync(string type, Guid id)
    {
        using var response = await db.PostAsync($"/api/v1/genesis/{type}/{id}/certify", key: TestHost.MasterKey);
        return (response.StatusCode, await Json.ReadAsync(response));
    }
}

using System.Net;
using Plant.Agents.Tests.Support;
using Plant.Testing.Hosting;

namespace Plant.Agents.Tests;

/// <summary>GET /api/v1/agents/{id}: the whole profile.</summary>
[Collection(ReadOnlyCatalog.Name)]
public sealed class AgentProfileTests(SeededCatalog catalog)
{
    [Fact]
    public async Task The_profile_has_skills_job_role_industry_team_certification_and_version()
    {
        var agent = await catalog.GetJsonAsync($"/api/v1/agents/{Seeded.Agent("Sentinel")}");

        Assert.Equal(Seeded.Agent("Sentinel"), agent.GetProperty("id").GetGuid());
        Assert.Equal("Sentinel", agent.GetProperty("name").GetString());
        Assert.StartsWith("Monitors card-not-present payments", agent.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("active", agent.GetProperty("status").GetString());
        Assert.Equal("available", agent.GetProperty("availability").GetString());
        Assert.Equal((85.00m, "USD"), (agent.GetProperty("price").GetProperty("perHour").GetDecimal(), agent.GetProperty("price").GetProperty("currency").GetString()));
        // The seed certifies team members without their team, then amends them into it (version 2).
        Assert.Equal(2, agent.GetProperty("version").GetInt32());

        var skills = agent.GetProperty("skills").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => (s.GetProperty("id").GetGuid(), s.GetProperty("category").GetString()));
        Assert.Equal(["Fraud Detection", "Machine Learning Modeling", "Report Writing", "SQL and Data Modeling"], skills.Keys.Order());
        Assert.Equal(Seeded.Skill("Fraud Detection"), skills["Fraud Detection"].Item1);

        var role = agent.GetProperty("jobRole");
        Assert.Equal((Seeded.JobRole("Fraud Analyst"), "Fraud Analyst", "mid"), (role.GetProperty("id").GetGuid(), role.GetProperty("name").GetString(), role.GetProperty("seniority").GetString()));
        var industry = agent.GetProperty("industry");
        Assert.Equal((Seeded.Industry("Financial Services"), "Financial Services", "FINSERV"), (industry.GetProperty("id").GetGuid(), industry.GetProperty("name").GetString(), industry.GetProperty("code").GetString()));
        var team = agent.GetProperty("team");
        Assert.Equal((Seeded.Team("Fraud Response Team"), "Fraud Response Team"), (team.GetProperty("id").GetGuid(), team.GetProperty("name").GetString()));

        var certification = agent.GetProperty("certification");
        Assert.Equal("certified", certification.GetProperty("status").GetString());
        Assert.Equal(
            await catalog.ScalarAsync<string>("select certificate_ref from catalog.entity_version where entity_id = @id and is_current", ("id", Seeded.Agent("Sentinel"))),
            certification.GetProperty("certificateId").GetString());
        Assert.False(string.IsNullOrEmpty(certification.GetProperty("certificateId").GetString()));
        Assert.True(certification.GetProperty("certifiedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(-1));
        Assert.Equal(["genesis-baseline"], agent.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task An_agent_without_a_team_has_team_null()
    {
        var agent = await catalog.GetJsonAsync($"/api/v1/agents/{Seeded.Agent("Takeover Guard")}");

        Assert.Equal(System.Text.Json.JsonValueKind.Null, agent.GetProperty("team").ValueKind);
        Assert.Equal(1, agent.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task An_unknown_id_is_404()
    {
        using var response = await catalog.SendAsync(HttpMethod.Get, $"/api/v1/agents/{Guid.NewGuid()}");

        await Problem.AssertAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task A_skill_id_is_not_an_agent()
    {
        using var response = await catalog.SendAsync(HttpMethod.Get, $"/api/v1/agents/{Seeded.Skill("Fraud Detection")}");

        await Problem.AssertAsync(response, HttpStatusCode.NotFound, "not-found");
    }
}

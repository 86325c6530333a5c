using System.Net;
using Plant.Agents.Tests.Support;
using Plant.Core.Seed;
using Plant.Testing.Hosting;

namespace Plant.Agents.Tests;

/// <summary>The catalog the portals build their filters from: skills, job roles, teams, industries, each with {id}.</summary>
[Collection(ReadOnlyCatalog.Name)]
public sealed class CatalogRoutesTests(SeededCatalog catalog)
{
    [Theory]
    [InlineData("skills", 19)]
    [InlineData("job-roles", 10)]
    [InlineData("teams", 6)]
    [InlineData("industries", 3)]
    public async Task Each_list_has_the_whole_seeded_catalog_by_name(string route, int count)
    {
        var body = await catalog.GetJsonAsync($"/api/v1/{route}");

        var names = Json.Names(body);
        Assert.Equal(count, names.Count);
        Assert.Equal(names.OrderBy(n => n.ToLowerInvariant(), StringComparer.Ordinal), names, StringComparer.Ordinal);
        Assert.Null(Json.NextCursor(body));
    }

    [Fact]
    public async Task Skills_page_with_a_cursor_without_duplicates_or_gaps()
    {
        var names = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await catalog.GetJsonAsync("/api/v1/skills?limit=5" + (cursor is null ? "" : "&cursor=" + cursor));
            names.AddRange(Json.Names(page));
            cursor = Json.NextCursor(page);
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(4, pages);
        Assert.Equal(GenesisBaseline.Skills.Select(s => s.Name).Order(), names.Order());
        Assert.Equal(19, names.Distinct().Count());
    }

    [Fact]
    public async Task Skills_filter_by_category()
    {
        var body = await catalog.GetJsonAsync("/api/v1/skills?category=creative");

        Assert.Equal(GenesisBaseline.Skills.Where(s => s.Category == "creative").Select(s => s.Name).Order(), Json.Names(body).Order());
        Assert.All(Json.Items(body), s => Assert.Equal("creative", s.GetProperty("category").GetString()));
    }

    [Fact]
    public async Task Job_roles_filter_by_industry_and_show_required_skills()
    {
        var body = await catalog.GetJsonAsync($"/api/v1/job-roles?industry={Seeded.Industry("Healthcare")}");

        Assert.Equal(["Claims Processor", "Medical Coder", "Patient Scheduler"], Json.Names(body));
        var coder = Json.Items(body)[1];
        Assert.Equal(["Clinical Documentation", "Medical Coding"], coder.GetProperty("requiredSkills").EnumerateArray().Select(s => s.GetProperty("name").GetString()).Order());
        Assert.Equal("Healthcare", coder.GetProperty("industry").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Teams_filter_by_job_role_and_list_their_members()
    {
        var body = await catalog.GetJsonAsync($"/api/v1/teams?jobRole={Seeded.JobRole("Fraud Analyst")}");

        var team = Assert.Single(Json.Items(body));
        Assert.Equal("Fraud Response Team", team.GetProperty("name").GetString());
        Assert.Equal(["Chargeback Clara", "Mule Hunter", "Sentinel"], team.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        Assert.Equal("Fraud Analyst", team.GetProperty("jobRole").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Each_entity_by_id()
    {
        var skill = await catalog.GetJsonAsync($"/api/v1/skills/{Seeded.Skill("Medical Coding")}");
        var role = await catalog.GetJsonAsync($"/api/v1/job-roles/{Seeded.JobRole("Demand Planner")}");
        var team = await catalog.GetJsonAsync($"/api/v1/teams/{Seeded.Team("AML Compliance Desk")}");
        var industry = await catalog.GetJsonAsync($"/api/v1/industries/{Seeded.Industry("Retail & E-commerce")}");

        Assert.Equal(("Medical Coding", "domain"), (skill.GetProperty("name").GetString(), skill.GetProperty("category").GetString()));
        Assert.Equal(("Demand Planner", "senior"), (role.GetProperty("name").GetString(), role.GetProperty("seniority").GetString()));
        Assert.Equal(3, team.GetProperty("members").GetArrayLength());
        Assert.Equal(("Retail & E-commerce", "RETAIL"), (industry.GetProperty("name").GetString(), industry.GetProperty("code").GetString()));
        Assert.Equal("certified", industry.GetProperty("certification").GetProperty("status").GetString());
        Assert.Equal(1, industry.GetProperty("version").GetInt32());
    }

    [Theory]
    [InlineData("skills")]
    [InlineData("job-roles")]
    [InlineData("teams")]
    [InlineData("industries")]
    public async Task An_unknown_id_is_404(string route)
    {
        using var response = await catalog.SendAsync(HttpMethod.Get, $"/api/v1/{route}/{Guid.NewGuid()}");

        await Problem.AssertAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task An_id_of_another_type_is_404()
    {
        using var response = await catalog.SendAsync(HttpMethod.Get, $"/api/v1/skills/{Seeded.Industry("Healthcare")}");

        await Problem.AssertAsync(response, HttpStatusCode.NotFound, "not-found");
    }
}

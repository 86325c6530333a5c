using System.Net;
using Plant.Agents.Tests.Support;
using Plant.Core.Agents;
using Plant.Core.Agents.Search;
using Plant.Core.Seed;
using Microsoft.Extensions.DependencyInjection;

namespace Plant.Agents.Tests;

/// <summary>GET /api/v1/agents/search on the seeded catalog: relevance, scores, filters, and the two ranking paths.</summary>
[Collection(ReadOnlyCatalog.Name)]
public sealed class SearchTests(SeededCatalog catalog)
{
    public static TheoryData<string> SkillNames { get; } = [.. GenesisBaseline.Skills.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(SkillNames))]
    public async Task A_query_about_a_skill_finds_an_agent_that_has_it_first(string skill)
    {
        var (found, holders) = await SearchForSkillAsync(skill);

        Assert.Contains(found[0], holders);
    }

    [Fact]
    public async Task Most_of_the_agents_a_skill_query_finds_have_that_skill()
    {
        // MiniLM ranks by meaning, so a near neighbour (a copywriter for "Report Writing") may come among the holders.
        var found = 0;
        var holding = 0;
        foreach (var skill in GenesisBaseline.Skills.Select(s => s.Name))
        {
            var (names, holders) = await SearchForSkillAsync(skill);
            found += names.Count;
            holding += names.Count(holders.Contains);
        }

        Assert.InRange((double)holding / found, 0.8, 1.0);
    }

    /// <summary>The top k for the skill's name, k being how many agents hold it (at most 10), and who holds it.</summary>
    private async Task<(List<string> Found, HashSet<string> Holders)> SearchForSkillAsync(string skill)
    {
        var holders = Seeded.Agents.Where(a => a.Skills.Contains(skill)).Select(a => a.Name).ToHashSet();
        var k = Math.Min(holders.Count, 10);
        var body = await catalog.GetJsonAsync($"/api/v1/agents/search?q={Uri.EscapeDataString(skill)}&k={k}");
        var found = Json.Items(body).Select(h => h.GetProperty("agent").GetProperty("name").GetString()!).ToList();
        Assert.Equal(k, found.Count);
        return (found, holders);
    }

    [Theory]
    [InlineData("my bank card went missing, block it", "Card Care")]
    [InlineData("who can help when an insurer turns down my treatment", "Appeals Ally")]
    [InlineData("get more stock into shops before black friday", "Holiday Planner")]
    [InlineData("find gangs moving stolen money through many accounts", "Mule Hunter")]
    public async Task A_query_in_other_words_finds_the_agent_it_means(string q, string agent)
    {
        // Few words shared with the agent's profile: MiniLM (the default embedder) matches the meaning.
        var body = await catalog.GetJsonAsync($"/api/v1/agents/search?q={Uri.EscapeDataString(q)}&k=3");

        Assert.Contains(agent, Json.Items(body).Select(h => h.GetProperty("agent").GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Hits_come_best_first_with_scores_and_the_agent_profile()
    {
        var body = await catalog.GetJsonAsync("/api/v1/agents/search?q=chargeback%20disputes%20and%20friendly%20fraud&k=5");

        var hits = Json.Items(body);
        Assert.Equal(5, hits.Count);
        Assert.Equal("Chargeback Clara", hits[0].GetProperty("agent").GetProperty("name").GetString());
        var scores = hits.Select(h => h.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.All(scores, s => Assert.InRange(s, -1, 1));
        Assert.True(scores[0] > 0.3, $"top score {scores[0]}");
        Assert.Equal("Fraud Analyst", hits[0].GetProperty("agent").GetProperty("jobRole").GetProperty("name").GetString());
    }

    [Fact]
    public async Task K_defaults_to_10()
    {
        var body = await catalog.GetJsonAsync("/api/v1/agents/search?q=patients");

        Assert.Equal(10, Json.Items(body).Count);
    }

    [Theory]
    [InlineData("industry", "Healthcare")]
    [InlineData("skill", "Fraud Detection")]
    [InlineData("jobRole", "Demand Planner")]
    [InlineData("team", "Claims Operations Team")]
    public async Task Filters_give_the_same_agents_as_the_list_with_the_same_filters(string parameter, string name)
    {
        var id = parameter switch
        {
            "industry" => Seeded.Industry(name),
            "skill" => Seeded.Skill(name),
            "jobRole" => Seeded.JobRole(name),
            _ => Seeded.Team(name),
        };

        var search = await catalog.GetJsonAsync($"/api/v1/agents/search?q=agent&k=100&{parameter}={id}");
        var list = await catalog.GetJsonAsync($"/api/v1/agents?limit=100&{parameter}={id}");

        Assert.Equal(Json.Names(list).Order(), Json.Items(search).Select(h => h.GetProperty("agent").GetProperty("name").GetString()!).Order());
        Assert.NotEmpty(Json.Names(list));
    }

    [Fact]
    public async Task Certified_false_finds_nothing_in_the_all_certified_seed()
    {
        var body = await catalog.GetJsonAsync("/api/v1/agents/search?q=fraud&certified=false");

        Assert.Empty(Json.Items(body));
    }

    [Theory]
    [InlineData("chargeback disputes")]
    [InlineData("medical coding of inpatient stays")]
    [InlineData("forecast demand for the holidays")]
    [InlineData("sanctions screening and money laundering")]
    [InlineData("python")]
    public async Task The_in_process_ranking_equals_an_exact_cosine_ranking_computed_by_the_database(string q)
    {
        var search = catalog.Host.Services.GetRequiredService<AgentSearch>();
        var (ranked, _) = await search.RankAsync(q, 10, new AgentFilter(), SearchPath.Array, CancellationToken.None);

        // The reference: cosine over the stored real[] vectors, in SQL (in double precision: products of MiniLM's small
        // components underflow real), with the same query vector.
        var query = (await catalog.Host.Services.GetRequiredService<Core.Embeddings.IEmbedder>().EmbedAsync([q], CancellationToken.None))[0];
        var reference = await catalog.ScalarAsync<Guid[]>("""
            select array_agg(agent_id order by score desc, agent_id) from (
                select e.agent_id,
                       (select sum(x::float8 * y) from unnest(e.embedding, @query::real[]) as t(x, y))
                       / nullif(sqrt((select sum(x::float8 * x) from unnest(e.embedding) as t(x))) * sqrt((select sum(y::float8 * y) from unnest(@query::real[]) as t(y))), 0) as score
                from catalog.agent_profile_embedding e
                join catalog.entity_version v on v.entity_id = e.agent_id and v.is_current and v.status = 'active'
                order by score desc, e.agent_id
                limit 10
            ) top
            """, ("query", query));

        Assert.Equal(reference, ranked.Select(r => r.Id));
    }
}

using Plant.Core.Seed;

namespace Plant.Core.Tests.Seed;

/// <summary>The baseline data itself, without a database: counts, names and references.</summary>
public sealed class GenesisBaselineTests
{
    private static readonly string[] s_categories = ["technical", "analytical", "communication", "domain", "creative", "operational"];
    private static readonly string[] s_seniorities = ["junior", "mid", "senior", "lead", "principal"];
    private static readonly string[] s_availabilities = ["available", "busy", "unavailable"];

    [Fact]
    public void The_baseline_has_3_industries_19_skills_10_job_roles_6_teams_and_50_agents() =>
        Assert.Equal(
            (3, 19, 10, 6, 50),
            (GenesisBaseline.Industries.Count, GenesisBaseline.Skills.Count, GenesisBaseline.JobRoles.Count, GenesisBaseline.Teams.Count, GenesisBaseline.Agents.Count));

    [Fact]
    public void Names_are_unique_per_type_case_insensitively()
    {
        string[][] names =
        [
            [.. GenesisBaseline.Industries.Select(i => i.Name)],
            [.. GenesisBaseline.Skills.Select(s => s.Name)],
            [.. GenesisBaseline.JobRoles.Select(r => r.Name)],
            [.. GenesisBaseline.Teams.Select(t => t.Name)],
            [.. GenesisBaseline.Agents.Select(a => a.Name)],
        ];
        foreach (var ofOneType in names)
        {
            Assert.Equal(ofOneType.Length, ofOneType.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        }
    }

    [Fact]
    public void Every_value_fits_the_schemas_enumerations_and_every_description_says_something()
    {
        Assert.All(GenesisBaseline.Skills, s => Assert.Contains(s.Category, s_categories));
        Assert.All(GenesisBaseline.JobRoles, r => Assert.Contains(r.Seniority, s_seniorities));
        Assert.All(GenesisBaseline.Agents, a => Assert.Contains(a.Availability, s_availabilities));
        Assert.All(GenesisBaseline.Agents, a => Assert.InRange(a.PricePerHour, 1m, 10_000m));
        Assert.All(GenesisBaseline.Industries, i => Assert.Matches("^[A-Z0-9_-]{1,32}$", i.Code));
        var descriptions = GenesisBaseline.Industries.Select(i => i.Description).Concat(GenesisBaseline.Skills.Select(s => s.Description))
            .Concat(GenesisBaseline.JobRoles.Select(r => r.Description)).Concat(GenesisBaseline.Teams.Select(t => t.Description))
            .Concat(GenesisBaseline.Agents.Select(a => a.Description)).ToList();
        Assert.All(descriptions, d => Assert.True(d.Split(' ').Length >= 8, d));
        // Every category V0001 allows is used, so search by category has something to find.
        Assert.Equal(s_categories.Order(), GenesisBaseline.Skills.Select(s => s.Category).Distinct().Order());
    }

    [Fact]
    public void Every_reference_names_an_entity_of_the_baseline()
    {
        var industries = GenesisBaseline.Industries.Select(i => i.Name).ToHashSet();
        var skills = GenesisBaseline.Skills.Select(s => s.Name).ToHashSet();
        var roles = GenesisBaseline.JobRoles.ToDictionary(r => r.Name);
        var teams = GenesisBaseline.Teams.ToDictionary(t => t.Name);

        Assert.All(GenesisBaseline.JobRoles, r =>
        {
            Assert.Contains(r.Industry, industries);
            Assert.InRange(r.RequiredSkills.Distinct().Count(), 2, 4);
            Assert.All(r.RequiredSkills, s => Assert.Contains(s, skills));
        });
        Assert.All(GenesisBaseline.Teams, t => Assert.True(roles.ContainsKey(t.JobRole), t.JobRole));
        Assert.All(GenesisBaseline.Agents, a =>
        {
            Assert.True(roles.ContainsKey(a.JobRole), a.JobRole);
            Assert.All(a.ExtraSkills, s => Assert.Contains(s, skills));
            if (a.Team is not null)
            {
                // A team's members hold the team's job role.
                Assert.Equal(teams[a.Team].JobRole, a.JobRole);
            }
        });
        Assert.All(GenesisBaseline.Teams, t => Assert.InRange(GenesisBaseline.Agents.Count(a => a.Team == t.Name), 2, 10));
    }

    [Theory]
    [InlineData("chargeback disputes and card fraud", "Fraud Detection")]
    [InlineData("diagnosis codes for hospital claims", "Medical Coding")]
    [InlineData("reorder points and safety stock in warehouses", "Inventory Management")]
    [InlineData("sanctions screening and suspicious activity reports", "KYC and AML Compliance")]
    public void Skill_texts_are_distinct_enough_for_a_query_to_find_its_skill(string query, string expected)
    {
        // The same text the seed embeds; even a bag-of-words embedder finds the right skill first.
        var q = TestEmbedder.Embed(query);
        var best = GenesisBaseline.Skills
            .MaxBy(s => TestEmbedder.Embed($"{s.Name}: {s.Description}").Zip(q, (a, b) => a * b).Sum())!;

        Assert.Equal(expected, best.Name);
    }

    [Fact]
    public void Seed_ids_are_deterministic_and_distinct_per_type_and_name()
    {
        Assert.Equal(SeedIds.Entity("skill", "Fraud Detection"), SeedIds.Entity("skill", "Fraud Detection"));
        Assert.NotEqual(SeedIds.Entity("skill", "Fraud Detection"), SeedIds.Entity("agent", "Fraud Detection"));
        Assert.NotEqual(SeedIds.Entity("skill", "Fraud Detection"), SeedIds.FirstVersion("skill", "Fraud Detection"));
        var id = SeedIds.Entity("industry", "Healthcare").ToString();
        Assert.Equal('8', id[14]); // RFC 9562 version 8
        Assert.Contains(id[19], "89ab");
    }
}

using System.Text.Json;
using Plant.Agents.Tests.Support;

namespace Plant.Agents.Tests;

/// <summary>GET /api/v1/agents on the seeded catalog: filters, sorts and keyset pages.</summary>
[Collection(ReadOnlyCatalog.Name)]
public sealed class ListAgentsTests(SeededCatalog catalog)
{
    private static IReadOnlyList<string> AllNames => [.. Seeded.Agents.Select(a => a.Name)];

    [Fact]
    public async Task Without_parameters_the_first_20_agents_by_name_and_a_cursor()
    {
        var body = await catalog.GetJsonAsync("/api/v1/agents");

        Assert.Equal((await ExpectedOrderAsync("name")).Take(20), Json.Names(body));
        Assert.NotNull(Json.NextCursor(body));
    }

    [Theory]
    [InlineData("name")]
    [InlineData("-name")]
    [InlineData("price")]
    [InlineData("-price")]
    [InlineData("newest")]
    public async Task Every_sort_pages_through_all_50_agents_in_order_without_duplicates_or_gaps(string sort)
    {
        var pages = await AllPagesAsync($"/api/v1/agents?sort={sort}&limit=7");

        Assert.Equal(8, pages.Count);
        Assert.All(pages[..^1], p => Assert.Equal(7, Json.Items(p).Count));
        Assert.Single(Json.Items(pages[^1]));
        Assert.Null(Json.NextCursor(pages[^1]));
        Assert.Equal(await ExpectedOrderAsync(sort), pages.SelectMany(Json.Names).ToList());
    }

    [Fact]
    public async Task Price_order_is_by_price_and_ties_keep_one_order_across_page_boundaries()
    {
        var names = (await AllPagesAsync("/api/v1/agents?sort=price&limit=3")).SelectMany(Json.Names).ToList();

        var prices = names.Select(n => Seeded.Agents.Single(a => a.Name == n).Price).ToList();
        Assert.Equal(prices.Order(), prices);
        Assert.True(prices.Distinct().Count() < prices.Count, "the seed has agents of equal price: the tie-break is exercised");
        Assert.Equal(AllNames.Order(), names.Order());
    }

    [Fact]
    public async Task A_page_exactly_at_the_end_has_no_cursor()
    {
        var first = await catalog.GetJsonAsync("/api/v1/agents?limit=25");
        var second = await catalog.GetJsonAsync($"/api/v1/agents?limit=25&cursor={Json.NextCursor(first)}");
        var whole = await catalog.GetJsonAsync("/api/v1/agents?limit=100");

        Assert.Equal(25, Json.Items(second).Count);
        Assert.Null(Json.NextCursor(second));
        Assert.Equal(50, Json.Items(whole).Count);
        Assert.Null(Json.NextCursor(whole));
    }

    [Fact]
    public async Task The_limit_may_change_from_page_to_page()
    {
        var first = await catalog.GetJsonAsync("/api/v1/agents?limit=10");
        var second = await catalog.GetJsonAsync($"/api/v1/agents?limit=30&cursor={Json.NextCursor(first)}");
        var third = await catalog.GetJsonAsync($"/api/v1/agents?limit=5&cursor={Json.NextCursor(second)}");

        Assert.Equal(
            (await ExpectedOrderAsync("name")).Take(45),
            Json.Names(first).Concat(Json.Names(second)).Concat(Json.Names(third)));
    }

    [Fact]
    public async Task Industry_filter_returns_the_agents_of_that_industry()
    {
        var names = await AllNamesAsync($"/api/v1/agents?industry={Seeded.Industry("Healthcare")}&limit=100");

        Assert.Equal(Seeded.Agents.Where(a => a.Industry == "Healthcare").Select(a => a.Name).Order(), names.Order());
        Assert.Equal(15, names.Count);
    }

    [Fact]
    public async Task Skill_filter_returns_the_agents_with_that_skill_and_repeated_skills_must_all_hold()
    {
        var fraud = await AllNamesAsync($"/api/v1/agents?skill={Seeded.Skill("Fraud Detection")}&limit=100");
        var fraudAndMl = await AllNamesAsync($"/api/v1/agents?skill={Seeded.Skill("Fraud Detection")}&skill={Seeded.Skill("Machine Learning Modeling")}&limit=100");

        Assert.Equal(Seeded.Agents.Where(a => a.Skills.Contains("Fraud Detection")).Select(a => a.Name).Order(), fraud.Order());
        Assert.Equal(
            Seeded.Agents.Where(a => a.Skills.Contains("Fraud Detection") && a.Skills.Contains("Machine Learning Modeling")).Select(a => a.Name).Order(),
            fraudAndMl.Order());
        Assert.Equal(["Rule Tuner", "Sentinel"], fraudAndMl.Order());
    }

    [Fact]
    public async Task Job_role_and_team_filters()
    {
        var coders = await AllNamesAsync($"/api/v1/agents?jobRole={Seeded.JobRole("Medical Coder")}");
        var team = await AllNamesAsync($"/api/v1/agents?team={Seeded.Team("Fraud Response Team")}");

        Assert.Equal(Seeded.Agents.Where(a => a.JobRole == "Medical Coder").Select(a => a.Name).Order(), coders.Order());
        Assert.Equal(["Chargeback Clara", "Mule Hunter", "Sentinel"], team.Order());
    }

    [Fact]
    public async Task Two_filters_combine()
    {
        var names = await AllNamesAsync($"/api/v1/agents?industry={Seeded.Industry("Retail & E-commerce")}&skill={Seeded.Skill("Customer Analytics")}");

        Assert.Equal(
            Seeded.Agents.Where(a => a.Industry == "Retail & E-commerce" && a.Skills.Contains("Customer Analytics")).Select(a => a.Name).Order(),
            names.Order());
        Assert.Contains("Markdown Max", names);
    }

    [Fact]
    public async Task Certified_filter_true_gives_the_certified_seed_and_false_none()
    {
        Assert.Equal(50, (await AllNamesAsync("/api/v1/agents?certified=true")).Count);
        Assert.Empty(await AllNamesAsync("/api/v1/agents?certified=false"));
    }

    [Theory]
    [InlineData("chargeback", new[] { "Chargeback Clara" })]
    [InlineData("CHARGEBACK DISPUTES", new[] { "Chargeback Clara" })]
    [InlineData("mortgage", new[] { "Mortgage Helper" })]
    [InlineData("black friday", new[] { "Holiday Planner" })]
    [InlineData("100%", new string[0])]
    [InlineData("_", new string[0])]
    public async Task Q_matches_name_or_description_case_insensitively_and_literally(string q, string[] expected)
    {
        var names = await AllNamesAsync($"/api/v1/agents?q={Uri.EscapeDataString(q)}");

        Assert.Equal(expected.Order(), names.Order());
    }

    [Fact]
    public async Task Q_combines_with_filters_and_sorts()
    {
        var names = await AllNamesAsync($"/api/v1/agents?q=claims&sort=-price&industry={Seeded.Industry("Healthcare")}");

        var expected = Seeded.Agents.Where(a => a.Industry == "Healthcare")
            .Where(a => GenesisDescriptions[a.Name].Contains("claims", StringComparison.OrdinalIgnoreCase) || a.Name.Contains("claims", StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(a => a.Price).Select(a => a.Name).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Order(), names.Order());
    }

    [Fact]
    public async Task Each_item_carries_the_summary_of_the_profile()
    {
        var body = await catalog.GetJsonAsync($"/api/v1/agents?q=Sentinel");

        var item = Assert.Single(Json.Items(body));
        Assert.Equal(Seeded.Agent("Sentinel"), item.GetProperty("id").GetGuid());
        Assert.Equal("active", item.GetProperty("status").GetString());
        Assert.Equal(85.00m, item.GetProperty("price").GetProperty("perHour").GetDecimal());
        Assert.Equal("Financial Services", item.GetProperty("industry").GetProperty("name").GetString());
        Assert.Equal("Fraud Analyst", item.GetProperty("jobRole").GetProperty("name").GetString());
        Assert.Equal("Fraud Response Team", item.GetProperty("team").GetProperty("name").GetString());
        Assert.Equal(4, item.GetProperty("skills").GetArrayLength());
    }

    private static Dictionary<string, string> GenesisDescriptions { get; } =
        Core.Seed.GenesisBaseline.Agents.ToDictionary(a => a.Name, a => a.Description);

    private async Task<List<JsonElement>> AllPagesAsync(string path)
    {
        var pages = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await catalog.GetJsonAsync(cursor is null ? path : $"{path}&cursor={cursor}");
            pages.Add(page);
            cursor = Json.NextCursor(page);
        }
        while (cursor is not null && pages.Count < 100);

        return pages;
    }

    private async Task<List<string>> AllNamesAsync(string path) =>
        [.. (await AllPagesAsync(path.Contains('?', StringComparison.Ordinal) ? path : path + "?")).SelectMany(Json.Names)];

    /// <summary>
    /// The order a sort must give, worked out here from the active agents' rows rather than with the API's SQL: names
    /// case-insensitively in the C locale's byte order, ties broken by the id in PostgreSQL's uuid order (its bytes).
    /// </summary>
    private async Task<List<string>> ExpectedOrderAsync(string sort)
    {
        var rows = new List<(string Name, Guid Id, decimal Price, DateTime CreatedAt)>();
        await using (var connection = new Npgsql.NpgsqlConnection(catalog.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand("""
                select v.name, v.entity_id, a.price_per_hour, e.created_at
                from catalog.entity_version v join catalog.agent a on a.version_id = v.version_id join catalog.entity e on e.entity_id = v.entity_id
                where v.is_current and v.status = 'active'
                """, connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), reader.GetGuid(1), reader.GetDecimal(2), reader.GetDateTime(3)));
            }
        }

        Comparison<(string Name, Guid Id, decimal Price, DateTime CreatedAt)> byName = (x, y) =>
            string.CompareOrdinal(x.Name.ToLowerInvariant(), y.Name.ToLowerInvariant()) is var c and not 0 ? c : ById(x.Id, y.Id);
        Comparison<(string Name, Guid Id, decimal Price, DateTime CreatedAt)> byPrice = (x, y) =>
            x.Price.CompareTo(y.Price) is var c and not 0 ? c : ById(x.Id, y.Id);
        Comparison<(string Name, Guid Id, decimal Price, DateTime CreatedAt)> byAge = (x, y) =>
            x.CreatedAt.CompareTo(y.CreatedAt) is var c and not 0 ? c : ById(x.Id, y.Id);
        rows.Sort(sort.TrimStart('-') switch { "name" => byName, "price" => byPrice, _ => byAge });
        if (sort.StartsWith('-') || sort == "newest")
        {
            rows.Reverse();
        }

        return [.. rows.Select(r => r.Name)];
    }

    private static int ById(Guid x, Guid y) => x.ToByteArray(bigEndian: true).AsSpan().SequenceCompareTo(y.ToByteArray(bigEndian: true));
}

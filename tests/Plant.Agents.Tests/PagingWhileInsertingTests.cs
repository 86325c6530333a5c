using Plant.Agents.Tests.Support;

namespace Plant.Agents.Tests;

/// <summary>
/// Keyset pages stay exact while rows are inserted between requests: every agent that existed when paging began is
/// seen exactly once, and an agent inserted ahead of the cursor is seen too. A database of its own, and an industry
/// of its own per case, so that the rows of one case are the only ones its query sees.
/// </summary>
public sealed class PagingWhileInsertingTests(SeededCatalog catalog) : IClassFixture<SeededCatalog>
{
    [Theory]
    [InlineData("name")]
    [InlineData("-name")]
    [InlineData("price")]
    [InlineData("-price")]
    [InlineData("newest")]
    public async Task No_duplicates_or_gaps_across_pages_while_agents_are_inserted(string sort)
    {
        var industry = await CatalogRows.InsertIndustryAsync(catalog.DataSource, $"Paging {sort} {Guid.NewGuid():N}");
        for (var i = 0; i < 23; i++)
        {
            await CatalogRows.InsertAgentAsync(catalog.DataSource, $"m{i % 7} existing {i} {Guid.NewGuid():N}", 100m + (i % 5), industry);
        }

        var path = $"/api/v1/agents?sort={sort}&limit=4&industry={industry}";
        var existing = (await AllIdsAsync(path)).ToHashSet();
        var seen = new List<Guid>();
        var insertedAhead = new List<Guid>();
        string? cursor = null;
        var round = 0;
        do
        {
            var page = await catalog.GetJsonAsync(cursor is null ? path : $"{path}&cursor={cursor}");
            seen.AddRange(Json.Items(page).Select(i => i.GetProperty("id").GetGuid()));
            cursor = Json.NextCursor(page);
            if (cursor is null)
            {
                break;
            }

            // One agent that sorts before every page (already passed), one that sorts after every page so far (still
            // ahead; each round's sorts after the previous round's).
            round++;
            ((string Name, decimal Price) first, (string Name, decimal Price) last) = sort switch
            {
                "name" => (($"AAAA {999 - round:D3} {Guid.NewGuid():N}", 50m), ($"zzzz {round:D3} {Guid.NewGuid():N}", 50m)),
                "-name" => (($"zzzz {round:D3} {Guid.NewGuid():N}", 50m), ($"AAAA {999 - round:D3} {Guid.NewGuid():N}", 50m)),
                "price" => (($"cheap {round} {Guid.NewGuid():N}", 1m - (0.01m * round)), ($"dear {round} {Guid.NewGuid():N}", 9000m + round)),
                "-price" => (($"dear {round} {Guid.NewGuid():N}", 9000m + round), ($"cheap {round} {Guid.NewGuid():N}", 1m - (0.01m * round))),
                _ => (($"new {round} {Guid.NewGuid():N}", 50m), ($"new too {round} {Guid.NewGuid():N}", 50m)),
            };
            await CatalogRows.InsertAgentAsync(catalog.DataSource, first.Name, first.Price, industry);
            var ahead = await CatalogRows.InsertAgentAsync(catalog.DataSource, last.Name, last.Price, industry);
            if (sort != "newest")
            {
                insertedAhead.Add(ahead);
            }
        }
        while (round < 50);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Subset(seen.ToHashSet(), existing);
        Assert.Subset(seen.ToHashSet(), insertedAhead.ToHashSet());
        Assert.Equal(existing.Count + insertedAhead.Count, seen.Count);
        Assert.Equal(23, existing.Count);
    }

    private async Task<List<Guid>> AllIdsAsync(string path)
    {
        var ids = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await catalog.GetJsonAsync(cursor is null ? path : $"{path}&cursor={cursor}");
            ids.AddRange(Json.Items(page).Select(i => i.GetProperty("id").GetGuid()));
            cursor = Json.NextCursor(page);
        }
        while (cursor is not null);

        return ids;
    }
}

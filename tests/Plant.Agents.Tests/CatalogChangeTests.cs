using System.Net;
using Plant.Agents.Tests.Support;
using Plant.Testing.Hosting;

namespace Plant.Agents.Tests;

/// <summary>
/// Changes made to the catalog by another process (straight in the database, as Genesis does) are seen by the very
/// next query: lists, profiles, search (its in-process index), ETags. Rows of its own in a database of its own.
/// </summary>
public sealed class CatalogChangeTests(SeededCatalog catalog) : IClassFixture<SeededCatalog>
{
    private static readonly Guid s_healthcare = Seeded.Industry("Healthcare");
    private static readonly Guid s_coding = Seeded.Skill("Medical Coding");

    [Theory]
    [InlineData("suspended")]
    [InlineData("retired")]
    [InlineData("draft")]
    public async Task An_agent_that_leaves_active_disappears_from_lists_search_and_profile_unless_status_asks(string status)
    {
        var name = $"Vanishing {status} coder";
        var id = await CatalogRows.InsertAgentAsync(catalog.DataSource, name, 61m, s_healthcare, [s_coding], description: $"Codes {status} zebra quilts.");
        Assert.Contains(name, await SearchNamesAsync($"{status} zebra quilts"));

        await CatalogRows.SetStatusAsync(catalog.DataSource, id, status);

        Assert.DoesNotContain(name, Json.Names(await catalog.GetJsonAsync($"/api/v1/agents?q={Uri.EscapeDataString(name)}")));
        Assert.DoesNotContain(name, await SearchNamesAsync($"{status} zebra quilts"));
        using (var profile = await catalog.SendAsync(HttpMethod.Get, $"/api/v1/agents/{id}"))
        {
            await Problem.AssertAsync(profile, HttpStatusCode.NotFound, "not-found");
        }

        Assert.Equal([name], Json.Names(await catalog.GetJsonAsync($"/api/v1/agents?q={Uri.EscapeDataString(name)}&status={status}")));
        Assert.Contains(name, await SearchNamesAsync($"{status} zebra quilts", $"&status={status}"));
        var shown = await catalog.GetJsonAsync($"/api/v1/agents/{id}?status={status}&status=active");
        Assert.Equal(status, shown.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_rejected_agent_appears_only_with_status_rejected_and_certified_filters_follow_certification()
    {
        var name = "Rejected radiology reader";
        var id = await CatalogRows.InsertAgentAsync(catalog.DataSource, name, 66m, s_healthcare, [s_coding], description: "Reads radiology xylophone scans.");
        var pendingName = "Pending pathology reader";
        await CatalogRows.InsertAgentAsync(catalog.DataSource, pendingName, 67m, s_healthcare, [s_coding], certification: "pending");

        await CatalogRows.SetCertificationAsync(catalog.DataSource, id, "rejected");

        Assert.DoesNotContain(name, await AllNamesAsync("/api/v1/agents?limit=100"));
        Assert.DoesNotContain(name, await SearchNamesAsync("radiology xylophone scans"));
        var rejected = await AllNamesAsync("/api/v1/agents?status=rejected");
        Assert.Contains(name, rejected);
        Assert.Equal("rejected", (await catalog.GetJsonAsync($"/api/v1/agents/{id}?status=rejected")).GetProperty("status").GetString());
        Assert.Contains(name, await SearchNamesAsync("radiology xylophone scans", "&status=rejected&status=active"));
        var uncertified = await AllNamesAsync("/api/v1/agents?certified=false");
        Assert.Contains(pendingName, uncertified);
        Assert.DoesNotContain(name, uncertified);
        Assert.DoesNotContain(pendingName, await AllNamesAsync("/api/v1/agents?certified=true&limit=100"));
    }

    [Fact]
    public async Task An_amended_description_is_searchable_at_once_and_the_old_one_is_not()
    {
        var id = await CatalogRows.InsertAgentAsync(catalog.DataSource, "Amended archivist", 40m, s_healthcare, description: "Files quokka paperwork.");
        Assert.Equal("Amended archivist", (await SearchNamesAsync("quokka paperwork"))[0]);

        await CatalogRows.AmendAgentAsync(catalog.DataSource, id, description: "Catalogues narwhal manuscripts.");

        Assert.Equal("Amended archivist", (await SearchNamesAsync("narwhal manuscripts"))[0]);
        var profile = await catalog.GetJsonAsync($"/api/v1/agents/{id}");
        Assert.Equal((2, "Catalogues narwhal manuscripts."), (profile.GetProperty("version").GetInt32(), profile.GetProperty("description").GetString()));
        var search = await catalog.GetJsonAsync("/api/v1/agents/search?q=quokka%20paperwork&k=1");
        Assert.True(Json.Items(search)[0].GetProperty("score").GetDouble() < 0.5);
    }

    [Fact]
    public async Task A_renamed_skill_changes_the_profile_text_of_every_agent_that_has_it()
    {
        var skill = Seeded.Skill("Appointment Scheduling");
        var holders = Seeded.Agents.Where(a => a.Skills.Contains("Appointment Scheduling")).Select(a => a.Name).ToHashSet();
        await SearchNamesAsync("warm the index");

        await CatalogRows.RenameSkillAsync(catalog.DataSource, skill, "Calendar Tetris Wrangling");

        var found = await SearchNamesAsync("calendar tetris wrangling", $"&k={holders.Count}");
        Assert.Equal(holders.Order(), found.Order());
        var profile = await catalog.GetJsonAsync($"/api/v1/agents/{Seeded.Agent("Front Desk Fiona")}");
        Assert.Contains("Calendar Tetris Wrangling", profile.GetProperty("skills").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task A_catalog_change_changes_the_ETag_and_a_trial_does_not()
    {
        using var before = await catalog.SendAsync(HttpMethod.Get, "/api/v1/agents?limit=2");
        var etag = before.Headers.ETag!.Tag;

        using (var trial = await catalog.SendAsync(HttpMethod.Post, "/api/v1/trials",
            $$$"""{"agentId":"{{{Seeded.Agent("Sentinel")}}}","customer":{"id":"etag-customer","email":"etag@example.com"}}"""))
        {
            Assert.Equal(HttpStatusCode.Created, trial.StatusCode);
        }

        using var afterTrial = await catalog.SendAsync(HttpMethod.Get, "/api/v1/agents?limit=2", null, ("If-None-Match", etag));
        Assert.Equal(HttpStatusCode.NotModified, afterTrial.StatusCode);

        await CatalogRows.InsertAgentAsync(catalog.DataSource, "ETag mover", 1m, s_healthcare);

        using var afterChange = await catalog.SendAsync(HttpMethod.Get, "/api/v1/agents?limit=2", null, ("If-None-Match", etag));
        Assert.Equal(HttpStatusCode.OK, afterChange.StatusCode);
        Assert.NotEqual(etag, afterChange.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task The_change_marker_moves_once_per_transaction_and_only_at_commit()
    {
        var before = await catalog.ScalarAsync<long>("select version from catalog.change_marker");
        await using var connection = await catalog.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var command = new Npgsql.NpgsqlCommand(
            "update catalog.entity_version set updated_by = 'marker-test' where entity_type in ('skill', 'industry') and is_current", connection, transaction))
        {
            Assert.Equal(22, await command.ExecuteNonQueryAsync());
        }

        Assert.Equal(before, await catalog.ScalarAsync<long>("select version from catalog.change_marker"));
        await transaction.CommitAsync();
        Assert.Equal(before + 1, await catalog.ScalarAsync<long>("select version from catalog.change_marker"));
    }

    private async Task<List<string>> SearchNamesAsync(string q, string extra = "")
    {
        var body = await catalog.GetJsonAsync($"/api/v1/agents/search?q={Uri.EscapeDataString(q)}{extra}");
        return [.. Json.Items(body).Select(h => h.GetProperty("agent").GetProperty("name").GetString()!)];
    }

    private async Task<List<string>> AllNamesAsync(string path)
    {
        var names = new List<string>();
        string? cursor = null;
        do
        {
            var page = await catalog.GetJsonAsync(cursor is null ? path : $"{path}&cursor={cursor}");
            names.AddRange(Json.Names(page));
            cursor = Json.NextCursor(page);
        }
        while (cursor is not null);

        return names;
    }
}

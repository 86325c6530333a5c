using System.Net;
using Plant.Genesis.Tests.Support;
using Plant.Hosting;
using Plant.Testing.Hosting;
using Xunit;

namespace Plant.Genesis.Tests;

/// <summary>Amendments: new versions linked by hash, append-only, guarded by If-Match.</summary>
[Collection(GenesisCollection.Name)]
public sealed class AmendmentTests(GenesisDatabase db)
{
    [Fact]
    public async Task An_amendment_is_a_new_current_version_that_records_the_previous_versions_hash()
    {
        var name = Drafts.Name("Ledger Reconciliation");
        var created = await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/skills", Drafts.Skill(name)));
        var id = created.GetProperty("id").GetGuid();

        var response = await db.PostAsync($"/api/v1/genesis/skills/{id}/amendments", Drafts.Skill(name + " Pro", "operational"), TestHost.FunctionKey, ("If-Match", "\"1\""));

        var amended = await Json.ReadAsync(response);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("\"2\"", response.Headers.ETag!.Tag);
        Assert.Equal((2, "operational", name + " Pro"), (amended.GetProperty("version").GetInt32(), amended.GetProperty("category").GetString(), amended.GetProperty("name").GetString()));
        Assert.Equal(created.GetProperty("contentHash").GetString(), amended.GetProperty("previousHash").GetString());
        Assert.Equal(created.GetProperty("versionId").GetGuid(), amended.GetProperty("supersedes").GetGuid());
        Assert.NotEqual(created.GetProperty("contentHash").GetString(), amended.GetProperty("contentHash").GetString());

        var history = await Json.ReadAsync(await db.GetAsync($"/api/v1/genesis/skills/{id}/versions"));
        var versions = history.GetProperty("versions").EnumerateArray().ToList();
        Assert.Equal([1, 2], versions.Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal([false, true], versions.Select(v => v.GetProperty("isCurrent").GetBoolean()));
        // The first version is unchanged: same content, same hash, its own name.
        Assert.Equal((name, created.GetProperty("contentHash").GetString()), (versions[0].GetProperty("name").GetString(), versions[0].GetProperty("contentHash").GetString()));
        Assert.Equal(2, (await Json.ReadAsync(await db.GetAsync($"/api/v1/genesis/skills/{id}"))).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task A_stale_if_match_is_412_with_the_current_version_and_writes_nothing()
    {
        var id = (await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/industries", Drafts.Industry()))).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Created, (await db.PostAsync($"/api/v1/genesis/industries/{id}/amendments", Drafts.Industry(), TestHost.FunctionKey, ("If-Match", "\"1\""))).StatusCode);

        var stale = await db.PostAsync($"/api/v1/genesis/industries/{id}/amendments", Drafts.Industry(), TestHost.FunctionKey, ("If-Match", "\"1\""));

        var body = await Problem.AssertAsync(stale, HttpStatusCode.PreconditionFailed, "precondition-failed");
        Assert.Equal(2, body.GetProperty("currentVersion").GetInt32());
        Assert.Equal("\"2\"", stale.Headers.ETag!.Tag);
        Assert.Equal(2L, await db.ScalarAsync<long>("select count(*) from catalog.entity_version where entity_id = @id", ("id", id)));
    }

    [Theory]
    [InlineData("W/\"1\"")]
    [InlineData("*")]
    public async Task If_match_takes_the_etag_a_weak_etag_or_a_star(string ifMatch)
    {
        var id = (await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/industries", Drafts.Industry()))).GetProperty("id").GetGuid();

        var response = await db.PostAsync($"/api/v1/genesis/industries/{id}/amendments", Drafts.Industry(), TestHost.FunctionKey, ("If-Match", ifMatch));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("\"version-one\"")]
    [InlineData("1")]
    public async Task A_malformed_if_match_is_400(string ifMatch)
    {
        var id = (await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/industries", Drafts.Industry()))).GetProperty("id").GetGuid();

        var body = await Problem.AssertAsync(
            await db.PostAsync($"/api/v1/genesis/industries/{id}/amendments", Drafts.Industry(), TestHost.FunctionKey, ("If-Match", ifMatch)),
            HttpStatusCode.BadRequest, Problems.BadRequest);

        Assert.Contains("If-Match", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Amending_an_unknown_entity_is_404_and_a_draft_that_cannot_be_stored_is_422()
    {
        await Problem.AssertAsync(await db.PostAsync($"/api/v1/genesis/industries/{Guid.NewGuid()}/amendments", Drafts.Industry(), TestHost.FunctionKey, ("If-Match", "*")), HttpStatusCode.NotFound, Problems.NotFound);

        var id = (await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/job-roles", Drafts.JobRole()))).GetProperty("id").GetGuid();
        var body = await Problem.AssertAsync(
            await db.PostAsync($"/api/v1/genesis/job-roles/{id}/amendments", Drafts.JobRole(skills: [Guid.NewGuid()]), TestHost.FunctionKey, ("If-Match", "*")), HttpStatusCode.UnprocessableEntity, "draft-rejected");
        Assert.Equal("requiredSkillIds[0]", Assert.Single(body.GetProperty("errors").EnumerateArray()).GetProperty("field").GetString());
        Assert.Equal(1L, await db.ScalarAsync<long>("select count(*) from catalog.entity_version where entity_id = @id", ("id", id)));
    }

    [Fact]
    public async Task A_version_is_never_updated_in_place_by_the_application()
    {
        var id = (await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/industries", Drafts.Industry()))).GetProperty("id").GetGuid();

        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() =>
            db.ExecuteAsync("update catalog.entity_version set name = 'changed' where entity_id = @id", ("id", id)));

        Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);
        var previousHash = await Assert.ThrowsAsync<Npgsql.PostgresException>(() =>
            db.ExecuteAsync("update catalog.entity_version set previous_hash = repeat('b', 64) where entity_id = @id", ("id", id)));
        Assert.Contains("append-only", previousHash.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_amendment_without_if_match_is_428_and_writes_nothing()
    {
        var id = (await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/industries", Drafts.Industry()))).GetProperty("id").GetGuid();

        var body = await Problem.AssertAsync(await db.PostAsync($"/api/v1/genesis/industries/{id}/amendments", Drafts.Industry()),
            HttpStatusCode.PreconditionRequired, "precondition-required");

        Assert.Equal("If-Match", body.GetProperty("parameter").GetString());
        Assert.Equal(1L, await db.ScalarAsync<long>("select count(*) from catalog.entity_version where entity_id = @id", ("id", id)));
    }

    [Fact]
    public async Task Concurrent_amendments_with_if_match_star_each_write_one_version_in_sequence()
    {
        var id = (await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/industries", Drafts.Industry()))).GetProperty("id").GetGuid();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => db.PostAsync($"/api/v1/genesis/industries/{id}/amendments", Drafts.Industry(), TestHost.FunctionKey, ("If-Match", "*"))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var history = await Json.ReadAsync(await db.GetAsync($"/api/v1/genesis/industries/{id}/versions"));
        var versions = history.GetProperty("versions").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, 7), versions.Select(v => v.GetProperty("version").GetInt32()));
        for (var i = 1; i < versions.Count; i++)
        {
            Assert.Equal(versions[i - 1].GetProperty("contentHash").GetString(), versions[i].GetProperty("previousHash").GetString());
        }

        Assert.Single(versions, v => v.GetProperty("isCurrent").GetBoolean());
    }
}

using System.Net;
using Plant.Core.Seed;
using Plant.Genesis.Tests.Support;
using Xunit;

namespace Plant.Genesis.Tests;

/// <summary>The baseline seed went through Genesis: certified entities, certificates that verify over HTTP, audit entries.</summary>
[Collection(GenesisCollection.Name)]
public sealed class SeedThroughGenesisTests(GenesisDatabase db)
{
    [Fact]
    public async Task Every_seeded_entity_is_active_and_certified_with_a_certificate_that_verifies()
    {
        foreach (var entry in GenesisBaselineDrafts.All)
        {
            var segment = entry.Draft.EntityType switch
            {
                Plant.Core.Catalog.EntityType.Industry => "industries",
                Plant.Core.Catalog.EntityType.Skill => "skills",
                Plant.Core.Catalog.EntityType.JobRole => "job-roles",
                Plant.Core.Catalog.EntityType.Team => "teams",
                _ => "agents",
            };
            var entity = await Json.ReadAsync(await db.GetAsync($"/api/v1/genesis/{segment}/{entry.EntityId}"));
            Assert.Equal(("active", "certified"), (entity.GetProperty("status").GetString(), entity.GetProperty("certification").GetProperty("status").GetString()));
            Assert.Equal(CatalogSeeder.Actor, entity.GetProperty("createdBy").GetString());

            var response = await db.PostAsync("/api/v1/genesis/certificates/verify", new { certificateId = entity.GetProperty("certification").GetProperty("certificateId").GetGuid() });
            var verification = await Json.ReadAsync(response);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(verification.GetProperty("valid").GetBoolean(), verification.ToString());
        }
    }

    [Fact]
    public async Task A_seeded_team_agent_joined_its_team_by_a_certified_amendment()
    {
        var agent = SeedIds.Entity("agent", "Sentinel");

        var history = await Json.ReadAsync(await db.GetAsync($"/api/v1/genesis/agents/{agent}/versions"));

        var versions = history.GetProperty("versions").EnumerateArray().ToList();
        Assert.Equal(2, versions.Count);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, versions[0].GetProperty("teamId").ValueKind);
        Assert.Equal(SeedIds.Entity("team", "Fraud Response Team"), versions[1].GetProperty("teamId").GetGuid());
        Assert.Equal(versions[0].GetProperty("contentHash").GetString(), versions[1].GetProperty("previousHash").GetString());
        Assert.All(versions, v => Assert.Equal("certified", v.GetProperty("certification").GetProperty("status").GetString()));
        Assert.Equal("entity.created entity.certified entity.amended entity.certified", await db.ScalarAsync<string>(
            "select string_agg(action, ' ' order by sequence) from genesis.audit_entry where entity_id = @id and actor = 'plant-seed'", ("id", agent)));
    }
}

using System.Net;
using Plant.Genesis.Tests.Support;
using Plant.Hosting;
using Plant.Testing.Hosting;
using Xunit;

namespace Plant.Genesis.Tests;

/// <summary>POST /validate: the report on a draft of any type, nothing written.</summary>
[Collection(GenesisCollection.Name)]
public sealed class ValidateTests(GenesisDatabase db)
{
    [Fact]
    public async Task A_valid_draft_is_reported_valid_and_storable_and_nothing_is_written()
    {
        var before = await CountsAsync();

        var response = await db.PostAsync("/api/v1/genesis/validate", """
            {"entityType": "job_role", "name": "Chargeback Specialist", "description": "Handles card chargebacks from first notice to final arbitration with the card schemes.",
             "seniority": "senior", "industryId": "%INDUSTRY%", "requiredSkillIds": ["%SKILL%"]}
            """.Replace("%INDUSTRY%", Drafts.FinancialServices.ToString(), StringComparison.Ordinal).Replace("%SKILL%", Drafts.FraudDetection.ToString(), StringComparison.Ordinal));

        var body = await Json.ReadAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("job_role", true, true), (body.GetProperty("entityType").GetString(), body.GetProperty("valid").GetBoolean(), body.GetProperty("storable").GetBoolean()));
        Assert.Equal(0, body.GetProperty("violations").GetArrayLength());
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task An_invalid_draft_gets_every_violation_and_the_errors_that_would_stop_it_being_stored()
    {
        var before = await CountsAsync();

        var body = await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/validate", new
        {
            entityType = "agent",
            name = " x",
            description = "Call me at alice@example.com any time you like for a quote.",
            industryId = Guid.NewGuid(),
            skillIds = Array.Empty<Guid>(),
            pricePerHour = -1,
        }));

        Assert.False(body.GetProperty("valid").GetBoolean());
        Assert.False(body.GetProperty("storable").GetBoolean());
        var rules = Json.RuleIds(body.GetProperty("violations"));
        Assert.Contains("L0-NAME-002", rules);
        Assert.Contains("L0-PII-001", rules);
        Assert.Contains("L1-AGENT-001", rules);
        Assert.Contains("L1-AGENT-011", rules);
        Assert.Equal(["industryId", "pricePerHour"], body.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("alice@example.com", body.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [InlineData("""{"name": "No type"}""", "entityType")]
    [InlineData("""{"entityType": "widget", "name": "x"}""", "widget")]
    [InlineData("""{"entityType": "skill", "name": 5}""", "name")]
    public async Task A_draft_without_a_known_type_or_of_the_wrong_shape_is_400(string json, string named)
    {
        var body = await Problem.AssertAsync(await db.PostAsync("/api/v1/genesis/validate", json), HttpStatusCode.BadRequest, Problems.MalformedJson);

        Assert.Contains(named, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private Task<string> CountsAsync() => db.ScalarAsync<string>("""
        select (select count(*) from catalog.entity_version)::text || ' ' || (select count(*) from genesis.audit_entry)::text
        """);
}

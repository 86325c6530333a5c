using System.Text.Json;
using Plant.Core.Catalog;
using Xunit;

namespace Plant.Core.Tests.Catalog;

public sealed class EntityDraftJsonTests
{
    [Fact]
    public void An_agent_draft_reads_from_camel_case_json_with_a_decimal_price()
    {
        var draft = JsonSerializer.Deserialize<AgentDraft>("""
            {
              "name": "Sentinel",
              "description": "Monitors card-not-present payments in real time.",
              "tags": ["fraud"],
              "attributes": {"source": "test", "nested": {"level": 2}},
              "industryId": "6c1e0f5a-9d4b-4f51-8a57-0b1c5e7d2a90",
              "jobRoleId": "6c1e0f5a-9d4b-4f51-8a57-0b1c5e7d2a91",
              "skillIds": ["6c1e0f5a-9d4b-4f51-8a57-0b1c5e7d2a92"],
              "availability": "busy",
              "pricePerHour": 78.50,
              "currency": "EUR"
            }
            """, CatalogJson.Options)!;

        Assert.Equal(("Sentinel", "busy", "EUR", 78.50m), (draft.Name, draft.Availability, draft.Currency, draft.PricePerHour));
        Assert.Equal("78.50", draft.PricePerHour!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Guid.Parse("6c1e0f5a-9d4b-4f51-8a57-0b1c5e7d2a92"), Assert.Single(draft.SkillIds));
        Assert.Null(draft.TeamId);
        Assert.Equal(2, draft.Attributes.GetProperty("nested").GetProperty("level").GetInt32());
        Assert.Equal(EntityType.Agent, draft.EntityType);
    }

    [Fact]
    public void Missing_properties_keep_defaults_so_that_the_constitution_reports_them()
    {
        var draft = JsonSerializer.Deserialize<JobRoleDraft>("{}", CatalogJson.Options)!;

        Assert.Equal(("", "", ""), (draft.Name, draft.Description, draft.Seniority));
        Assert.Empty(draft.Tags);
        Assert.Empty(draft.RequiredSkillIds);
        Assert.Null(draft.IndustryId);
        Assert.Equal(JsonValueKind.Object, draft.Attributes.ValueKind);

        var agent = JsonSerializer.Deserialize<AgentDraft>("{}", CatalogJson.Options)!;
        Assert.Equal(("available", "USD"), (agent.Availability, agent.Currency));
    }

    [Theory]
    [InlineData("""{"entityType": "industry", "name": "Energy", "code": "ENERGY"}""", typeof(IndustryDraft))]
    [InlineData("""{"name": "Go", "category": "technical", "entityType": "skill"}""", typeof(SkillDraft))]
    [InlineData("""{"entityType": "job_role", "seniority": "mid"}""", typeof(JobRoleDraft))]
    [InlineData("""{"memberAgentIds": [], "entityType": "team"}""", typeof(TeamDraft))]
    [InlineData("""{"entityType": "agent"}""", typeof(AgentDraft))]
    public void A_draft_of_any_type_reads_by_its_entity_type_wherever_it_stands(string json, Type expected)
    {
        var draft = CatalogJson.ReadDraft(json);

        Assert.IsType(expected, draft);
        Assert.Equal(expected, draft.EntityType.DraftType());
    }

    [Theory]
    [InlineData("""{"entityType": "trial"}""")]
    [InlineData("""{"name": "x"}""")]
    [InlineData("""{"entityType": "skill", "colour": "blue"}""")]
    [InlineData("""{"entityType": "skill", "name": null}""")]
    [InlineData("null")]
    [InlineData("[]")]
    public void Unknown_types_unknown_properties_and_nulls_are_json_errors(string json) =>
        Assert.ThrowsAny<JsonException>(() => CatalogJson.ReadDraft(json));

    [Fact]
    public async Task A_payload_without_its_type_says_which_property_names_it()
    {
        using var body = new MemoryStream("""{"name": "x"}"""u8.ToArray());

        var error = await Assert.ThrowsAsync<JsonException>(() => CatalogJson.ReadDraftAsync(body, CancellationToken.None));

        Assert.Contains("\"entityType\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_draft_written_as_its_base_type_names_its_type_and_reads_back()
    {
        EntityDraft draft = new SkillDraft { Name = "Go", Description = "Writes Go.", Category = "technical", Tags = ["lang"] };

        var json = JsonSerializer.Serialize(draft, CatalogJson.Options);
        var back = Assert.IsType<SkillDraft>(CatalogJson.ReadDraft(json));

        Assert.StartsWith("""{"entityType":"skill",""", json, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"Go\",\"description\":\"Writes Go.\",\"tags\":[\"lang\"],\"attributes\":{}", json, StringComparison.Ordinal);
        Assert.Equal(("Go", "technical", "lang"), (back.Name, back.Category, Assert.Single(back.Tags)));
    }

    [Theory]
    [InlineData(EntityType.Industry, "industry", "industries")]
    [InlineData(EntityType.Skill, "skill", "skills")]
    [InlineData(EntityType.JobRole, "job_role", "job-roles")]
    [InlineData(EntityType.Team, "team", "teams")]
    [InlineData(EntityType.Agent, "agent", "agents")]
    public void Entity_types_have_schema_names_and_route_segments(EntityType type, string schemaName, string segment)
    {
        Assert.Equal((schemaName, segment), (type.SchemaName(), type.RouteSegment()));
        Assert.True(EntityTypes.TryParseSchemaName(schemaName, out var fromSchema));
        Assert.True(EntityTypes.TryParseRouteSegment(segment, out var fromRoute));
        Assert.Equal((type, type), (fromSchema, fromRoute));
    }

    [Theory]
    [InlineData("trial")]
    [InlineData("Industry")]
    [InlineData("job-roles ")]
    [InlineData(null)]
    public void Other_names_are_not_entity_types(string? value)
    {
        Assert.False(EntityTypes.TryParseSchemaName(value, out _));
        Assert.False(EntityTypes.TryParseRouteSegment(value, out _));
    }
}

using System.Net;
using System.Text.Json;
using Plant.Genesis.Tests.Support;
using Plant.Hosting;
using Plant.Testing.Hosting;
using Xunit;

namespace Plant.Genesis.Tests;

/// <summary>Creating, reading, listing drafts, and what bad input gets: a 4xx naming the fault, nothing written.</summary>
[Collection(GenesisCollection.Name)]
public sealed class EntityRouteTests(GenesisDatabase db)
{
    public static TheoryData<string, string> Types => new()
    {
        { "industries", "industry" },
        { "skills", "skill" },
        { "job-roles", "job_role" },
        { "teams", "team" },
        { "agents", "agent" },
    };

    [Theory]
    [MemberData(nameof(Types))]
    public async Task Creating_answers_201_with_location_etag_version_1_draft_and_its_validation_report(string segment, string entityType)
    {
        var response = await db.PostAsync($"/api/v1/genesis/{segment}", DraftOf(segment));

        var body = await Json.ReadAsync(response);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/genesis/{segment}/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("\"1\"", response.Headers.ETag!.Tag);
        Assert.Equal((entityType, 1, "draft", "pending"), (body.GetProperty("entityType").GetString(), body.GetProperty("version").GetInt32(),
            body.GetProperty("status").GetString(), body.GetProperty("certification").GetProperty("status").GetString()));
        Assert.Matches("^[0-9a-f]{64}$", body.GetProperty("contentHash").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("previousHash").ValueKind);
        Assert.True(body.GetProperty("validation").GetProperty("valid").GetBoolean(), body.GetProperty("validation").ToString());

        var read = await db.GetAsync($"/api/v1/genesis/{segment}/{id}");
        var readBody = await Json.ReadAsync(read);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("\"1\"", read.Headers.ETag!.Tag);
        Assert.Equal(body.GetProperty("name").GetString(), readBody.GetProperty("name").GetString());
        Assert.Equal(body.GetProperty("contentHash").GetString(), readBody.GetProperty("contentHash").GetString());
    }

    [Fact]
    public async Task A_read_agent_carries_its_subtype_fields_links_and_a_decimal_price()
    {
        var created = await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/agents", Drafts.Agent(price: 42.5m)));

        var agent = await Json.ReadAsync(await db.GetAsync($"/api/v1/genesis/agents/{created.GetProperty("id").GetGuid()}"));

        Assert.Equal("42.50", agent.GetProperty("pricePerHour").GetRawText());
        Assert.Equal(("USD", "available"), (agent.GetProperty("currency").GetString(), agent.GetProperty("availability").GetString()));
        Assert.Equal(Drafts.FraudAnalyst, agent.GetProperty("jobRoleId").GetGuid());
        Assert.Equal(3, agent.GetProperty("skillIds").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, agent.GetProperty("teamId").ValueKind);
    }

    [Fact]
    public async Task A_draft_with_constitution_violations_is_stored_as_a_draft_with_every_violation_reported()
    {
        var response = await db.PostAsync("/api/v1/genesis/skills", new { name = Drafts.Name("X"), description = "Too short.", category = "analytical" });

        var body = await Json.ReadAsync(response);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var validation = body.GetProperty("validation");
        Assert.False(validation.GetProperty("valid").GetBoolean());
        Assert.Contains("L0-DESC-002", Json.RuleIds(validation.GetProperty("violations")));
        Assert.Contains("L0-DESC-003", Json.RuleIds(validation.GetProperty("violations")));
        Assert.Equal(Json.RuleIds(validation.GetProperty("violations")), Json.RuleIds(body.GetProperty("certification").GetProperty("violations")));
    }

    [Fact]
    public async Task Listing_pages_by_name_with_a_cursor_and_filters_by_status()
    {
        var prefix = Drafts.Name("Paging");
        foreach (var suffix in new[] { "a", "b", "c" })
        {
            Assert.Equal(HttpStatusCode.Created, (await db.PostAsync("/api/v1/genesis/industries", Drafts.Industry($"{prefix} {suffix}"))).StatusCode);
        }

        var names = new List<string>();
        string? next = null;
        do
        {
            var page = await Json.ReadAsync(await db.GetAsync($"/api/v1/genesis/industries?status=draft&limit=2{(next is null ? "" : "&cursor=" + next)}"));
            names.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()!));
            Assert.All(page.GetProperty("items").EnumerateArray(), i => Assert.Equal("draft", i.GetProperty("status").GetString()));
            next = page.GetProperty("nextCursor").GetString();
        }
        while (next is not null);

        Assert.Equal([$"{prefix} a", $"{prefix} b", $"{prefix} c"], names.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)));
        Assert.Equal(names.Count, names.Distinct().Count());

        var active = await Json.ReadAsync(await db.GetAsync("/api/v1/genesis/industries?status=active&certification=certified&limit=200"));
        Assert.Contains(active.GetProperty("items").EnumerateArray(), i => i.GetProperty("name").GetString() == "Financial Services");
        Assert.DoesNotContain(active.GetProperty("items").EnumerateArray(), i => i.GetProperty("name").GetString()!.StartsWith(prefix, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/api/v1/genesis/industries?status=alive", "status")]
    [InlineData("/api/v1/genesis/industries?certification=maybe", "certification")]
    [InlineData("/api/v1/genesis/industries?limit=0", "limit")]
    [InlineData("/api/v1/genesis/industries?limit=201", "limit")]
    [InlineData("/api/v1/genesis/industries?after=not-a-cursor", "after")]
    [InlineData("/api/v1/genesis/industries?cursor=not-a-cursor", "cursor")]
    [InlineData("/api/v1/genesis/industries?cursor=", "cursor")]
    [InlineData("/api/v1/genesis/industries?limit=1&limit=2", "limit")]
    public async Task Bad_listing_parameters_are_400_naming_the_parameter(string path, string parameter)
    {
        var body = await Problem.AssertAsync(await db.GetAsync(path), HttpStatusCode.BadRequest, Problems.BadRequest);

        Assert.Contains(parameter, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(parameter, body.GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task A_cursor_is_signed_and_bound_to_the_listing_that_gave_it()
    {
        for (var i = 0; i < 2; i++)
        {
            await db.PostAsync("/api/v1/genesis/skills", Drafts.Skill(Drafts.Name("Cursor"), "analytical"));
        }

        var first = await Json.ReadAsync(await db.GetAsync("/api/v1/genesis/skills?status=draft&limit=1"));
        var cursor = first.GetProperty("nextCursor").GetString()!;
        var changed = cursor[..^2] + (cursor[^2] == 'A' ? "B" : "A") + cursor[^1];

        foreach (var path in new[] { $"/api/v1/genesis/skills?status=active&limit=1&cursor={cursor}", $"/api/v1/genesis/industries?status=draft&cursor={cursor}", $"/api/v1/genesis/skills?status=draft&cursor={changed}" })
        {
            var body = await Problem.AssertAsync(await db.GetAsync(path), HttpStatusCode.BadRequest, Problems.BadRequest);
            Assert.Equal("cursor", body.GetProperty("parameter").GetString());
            Assert.Equal(path[..path.IndexOf('?', StringComparison.Ordinal)], body.GetProperty("instance").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, (await db.GetAsync($"/api/v1/genesis/skills?status=draft&limit=5&cursor={cursor}")).StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/v1/genesis/widgets")]
    [InlineData("POST", "/api/v1/genesis/widgets")]
    [InlineData("GET", "/api/v1/genesis/widgets/6c1e0f5a-9d4b-4f51-8a57-0b1c5e7d2a90")]
    [InlineData("GET", "/api/v1/genesis/Agents")]
    public async Task An_unknown_type_segment_is_404(string method, string path)
    {
        var response = await db.SendAsync(new HttpMethod(method), path, method == "POST" ? Drafts.Industry() : null);

        var body = await Problem.AssertAsync(response, HttpStatusCode.NotFound, Problems.NotFound);
        Assert.Contains("industries, skills, job-roles, teams, agents", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/api/v1/genesis/agents/not-a-uuid")]
    [InlineData("GET", "/api/v1/genesis/agents/123/versions")]
    [InlineData("POST", "/api/v1/genesis/agents/xyz/amendments")]
    [InlineData("POST", "/api/v1/genesis/agents/xyz/certify")]
    [InlineData("GET", "/api/v1/genesis/certificates/nope")]
    public async Task A_malformed_id_is_404_as_no_route_matches_it(string method, string path)
    {
        var response = await db.SendAsync(new HttpMethod(method), path, method == "POST" ? Drafts.Agent() : null, TestHost.MasterKey);

        var body = await Problem.AssertAsync(response, HttpStatusCode.NotFound, Problems.NotFound);
        Assert.StartsWith("No function answers", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_well_formed_id_of_no_entity_is_404()
    {
        var id = Guid.NewGuid();

        await Problem.AssertAsync(await db.GetAsync($"/api/v1/genesis/agents/{id}"), HttpStatusCode.NotFound, Problems.NotFound);
        await Problem.AssertAsync(await db.GetAsync($"/api/v1/genesis/agents/{id}/versions"), HttpStatusCode.NotFound, Problems.NotFound);
        // A seeded skill is not an agent.
        await Problem.AssertAsync(await db.GetAsync($"/api/v1/genesis/agents/{Drafts.FraudDetection}"), HttpStatusCode.NotFound, Problems.NotFound);
    }

    [Theory]
    [InlineData("""{"name": "X", "description": "Y", "category": 7}""", "category")]
    [InlineData("""{"name": "X", "description": "Y", "category": "technical", "colour": "red"}""", "colour")]
    [InlineData("""{"name": null, "description": "Y", "category": "technical"}""", "name")]
    [InlineData("""{"name": "X", "tags": "not-a-list", "category": "technical"}""", "tags")]
    [InlineData("""{"name": "X", "description": "Y", "category": "technical", "entityType": "agent"}""", "entityType")]
    [InlineData("""{"name": "X", """, "JSON")]
    [InlineData("""[1, 2]""", "object")]
    public async Task A_body_that_is_not_the_expected_json_is_400_naming_the_field_and_writes_nothing(string json, string named)
    {
        var before = await EntityCountAsync();

        var response = await db.PostAsync("/api/v1/genesis/skills", json);

        var body = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, Problems.MalformedJson);
        Assert.Contains(named, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Plant.", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await EntityCountAsync());
    }

    [Fact]
    public async Task A_body_of_another_media_type_is_415()
    {
        var request = TestHost.Request(HttpMethod.Post, "/api/v1/genesis/skills");
        request.Content = new StringContent("name=x", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");

        await Problem.AssertAsync(await db.Client.SendAsync(request), HttpStatusCode.UnsupportedMediaType, Problems.UnsupportedMediaType);
    }

    [Fact]
    public async Task References_to_unknown_entities_are_reported_as_violations_and_nothing_is_written()
    {
        var before = await EntityCountAsync();
        var unknown = Guid.NewGuid();

        var response = await db.PostAsync("/api/v1/genesis/job-roles", Drafts.JobRole(skills: [Drafts.FraudDetection, unknown]));

        var body = await Problem.AssertAsync(response, HttpStatusCode.UnprocessableEntity, "draft-rejected");
        var error = Assert.Single(body.GetProperty("errors").EnumerateArray());
        Assert.Equal("requiredSkillIds[1]", error.GetProperty("field").GetString());
        Assert.Contains(body.GetProperty("violations").EnumerateArray(),
            v => v.GetProperty("ruleId").GetString() == "L1-JOBROLE-003" && v.GetProperty("field").GetString() == "requiredSkillIds[1]");
        Assert.Equal(before, await EntityCountAsync());
    }

    [Fact]
    public async Task A_reference_of_the_wrong_type_is_rejected_naming_the_field()
    {
        var draft = Drafts.JobRole(skills: [Drafts.FraudAnalyst]);

        var body = await Problem.AssertAsync(await db.PostAsync("/api/v1/genesis/job-roles", draft), HttpStatusCode.UnprocessableEntity, "draft-rejected");

        var error = Assert.Single(body.GetProperty("errors").EnumerateArray());
        Assert.Equal("requiredSkillIds[0]", error.GetProperty("field").GetString());
        Assert.Contains("job role, not a skill", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Values_the_schema_cannot_store_are_rejected_with_every_field_and_nothing_is_written()
    {
        var before = await EntityCountAsync();

        var response = await db.PostAsync("/api/v1/genesis/agents", """
            {"name": "Bad\u0000Name", "description": "Some description that is long enough to pass the length rule.",
             "industryId": null, "skillIds": [], "availability": "asleep", "pricePerHour": 12.345, "currency": "usd",
             "attributes": {"n": 1e400}}
            """);

        var body = await Problem.AssertAsync(response, HttpStatusCode.UnprocessableEntity, "draft-rejected");
        Assert.Equal(
            ["attributes", "availability", "currency", "industryId", "name", "pricePerHour"],
            body.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).Order(StringComparer.Ordinal));
        Assert.NotEmpty(body.GetProperty("violations").EnumerateArray());
        Assert.Equal(before, await EntityCountAsync());
    }

    [Theory]
    [InlineData("""{"name": "Lone \ud800 surrogate", "description": "A description of a skill long enough for the rules.", "category": "technical"}""")]
    [InlineData("""{"name": "Huge", "description": "A description of a skill long enough for the rules.", "category": "technical", "attributes": {"n": 1e400}}""")]
    [InlineData("""{"name": "Lone", "description": "A description of a skill long enough for the rules.", "category": "technical", "attributes": {"s": "\udc00"}}""")]
    [InlineData("""{"name": "Null tag", "description": "A description of a skill long enough for the rules.", "category": "technical", "tags": [null]}""")]
    [InlineData("""{"name": "Deep", "description": "A description of a skill long enough for the rules.", "category": "technical", "attributes": {"a": {"b": {"c": {"d": {"e": {"f": {"g": 1}}}}}}}}""")]
    [InlineData("""{"name": "Attrs", "description": "A description of a skill long enough for the rules.", "category": "technical", "attributes": null}""")]
    [InlineData("""{"name": "Attrs", "description": "A description of a skill long enough for the rules.", "category": "technical", "attributes": [1]}""")]
    [InlineData("""{"name": "", "description": "", "category": ""}""")]
    [InlineData("""{}""")]
    public async Task Odd_skill_bodies_are_answered_without_a_server_error_and_unstorable_ones_write_nothing(string json)
    {
        var before = await EntityCountAsync();

        var response = await db.PostAsync("/api/v1/genesis/skills", json);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity or HttpStatusCode.Created,
            $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(before + (response.StatusCode == HttpStatusCode.Created ? 1 : 0), await EntityCountAsync());
    }

    [Theory]
    [InlineData("""{"name": "A", "description": "B", "industryId": "00000000-0000-0000-0000-000000000000", "pricePerHour": 1e30}""")]
    [InlineData("""{"name": "A", "description": "B", "skillIds": [null]}""")]
    [InlineData("""{"name": "A", "description": "B", "industryId": "00000000-0000-0000-0000-000000000000", "pricePerHour": 1, "skillIds": ["00000000-0000-0000-0000-000000000000"]}""")]
    [InlineData("""{"name": "A", "description": "B", "industryId": "not-a-uuid", "pricePerHour": 1}""")]
    public async Task Odd_agent_bodies_are_a_4xx_and_write_nothing(string json)
    {
        var before = await EntityCountAsync();

        var response = await db.PostAsync("/api/v1/genesis/agents", json);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity,
            $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(before, await EntityCountAsync());
    }

    [Fact]
    public async Task A_name_another_current_entity_of_the_type_has_is_rejected()
    {
        var body = await Problem.AssertAsync(
            await db.PostAsync("/api/v1/genesis/industries", Drafts.Industry("financial services")), HttpStatusCode.UnprocessableEntity, "draft-rejected");

        Assert.Equal("name", Assert.Single(body.GetProperty("errors").EnumerateArray()).GetProperty("field").GetString());
        Assert.Contains("L0-NAME-005", Json.RuleIds(body.GetProperty("violations")));
    }

    [Theory]
    [InlineData("GET", "/api/v1/genesis/agents")]
    [InlineData("POST", "/api/v1/genesis/agents")]
    [InlineData("POST", "/api/v1/genesis/validate")]
    [InlineData("GET", "/api/v1/genesis/audit/verify")]
    [InlineData("POST", "/api/v1/genesis/audit/verify")]
    public async Task Routes_need_a_key(string method, string path)
    {
        var response = await db.SendAsync(new HttpMethod(method), path, method == "POST" ? Drafts.Agent() : null, key: null);

        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, Problems.Unauthorized);
    }

    [Fact]
    public async Task The_actor_header_is_recorded_as_creator()
    {
        var response = await db.PostAsync("/api/v1/genesis/skills", Drafts.Skill(), TestHost.FunctionKey, ("X-Plant-Actor", "portal:user-42"));

        Assert.Equal("portal:user-42", (await Json.ReadAsync(response)).GetProperty("createdBy").GetString());
        await Problem.AssertAsync(
            await db.PostAsync("/api/v1/genesis/skills", Drafts.Skill(), TestHost.FunctionKey, ("X-Plant-Actor", new string('x', 201))),
            HttpStatusCode.BadRequest, Problems.BadRequest);
    }

    [Fact]
    public async Task The_verified_caller_is_the_creator_and_only_a_caller_allowed_to_may_name_another_actor()
    {
        var keyed = await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/skills", Drafts.Skill(), TestHost.FunctionKey));
        var before = await db.ScalarAsync<long>("select count(*) from genesis.audit_entry");
        // The master key is not on the list of callers that may name an actor.
        var refused = await db.PostAsync("/api/v1/genesis/skills", Drafts.Skill(), TestHost.MasterKey, ("X-Plant-Actor", "portal:user-42"));

        Assert.Equal("key:function-1", keyed.GetProperty("createdBy").GetString());
        var problem = await Problem.AssertAsync(refused, HttpStatusCode.Forbidden, Problems.Forbidden);
        Assert.Equal("X-Plant-Actor", problem.GetProperty("parameter").GetString());
        Assert.Equal(before, await db.ScalarAsync<long>("select count(*) from genesis.audit_entry"));
    }

    private Task<long> EntityCountAsync() => db.ScalarAsync<long>("select count(*) from catalog.entity_version");

    private static object DraftOf(string segment) => segment switch
    {
        "industries" => Drafts.Industry(),
        "skills" => Drafts.Skill(),
        "job-roles" => Drafts.JobRole(),
        "teams" => Drafts.Team(),
        _ => Drafts.Agent(),
    };
}

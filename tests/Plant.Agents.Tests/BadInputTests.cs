using System.Net;
using Plant.Agents.Tests.Support;
using Plant.Testing.Hosting;

namespace Plant.Agents.Tests;

/// <summary>
/// Every kind of bad input is a 400 problem naming what is wrong (the <c>parameter</c> member), never a 500, and
/// changes nothing in the database. A database of its own, so that the digest sees only these requests.
/// </summary>
public sealed class BadInputTests(SeededCatalog catalog) : IClassFixture<SeededCatalog>
{
    private static readonly string s_agent = Seeded.Agent("Sentinel").ToString();
    private static readonly string s_skill = Seeded.Skill("Fraud Detection").ToString();
    private static readonly string s_long = new('x', 501);

    public static TheoryData<string, string, string?, string> Requests { get; } = new()
    {
        // Malformed ids in filters.
        { "GET", "/api/v1/agents?industry=healthcare", null, "industry" },
        { "GET", "/api/v1/agents?skill=1&skill=2", null, "skill" },
        { "GET", "/api/v1/agents?jobRole=%7B%7D", null, "jobRole" },
        { "GET", "/api/v1/agents?team=", null, "team" },
        { "GET", "/api/v1/job-roles?industry=x", null, "industry" },
        { "GET", "/api/v1/teams?jobRole=x", null, "jobRole" },
        // Ids that name nothing of their type.
        { "GET", $"/api/v1/agents?industry={Guid.Empty}", null, "industry" },
        { "GET", $"/api/v1/agents?skill={s_skill}&skill={Guid.Empty}", null, "skill" },
        { "GET", $"/api/v1/agents?jobRole={s_skill}", null, "jobRole" },
        { "GET", $"/api/v1/agents?team={s_agent}", null, "team" },
        { "GET", $"/api/v1/agents/search?q=x&industry={s_skill}", null, "industry" },
        { "GET", $"/api/v1/job-roles?industry={s_skill}", null, "industry" },
        { "GET", $"/api/v1/teams?jobRole={Guid.Empty}", null, "jobRole" },
        // Unknown filter values.
        { "GET", "/api/v1/agents?status=deleted", null, "status" },
        { "GET", "/api/v1/agents?status=Active", null, "status" },
        { "GET", "/api/v1/agents?sort=rating", null, "sort" },
        { "GET", "/api/v1/agents?certified=yes", null, "certified" },
        { "GET", $"/api/v1/agents/{s_agent}?status=gone", null, "status" },
        { "GET", "/api/v1/skills?category=magic", null, "category" },
        // limit and k out of range or malformed.
        { "GET", "/api/v1/agents?limit=0", null, "limit" },
        { "GET", "/api/v1/agents?limit=101", null, "limit" },
        { "GET", "/api/v1/agents?limit=-1", null, "limit" },
        { "GET", "/api/v1/agents?limit=1.5", null, "limit" },
        { "GET", "/api/v1/agents?limit=%2B5", null, "limit" },
        { "GET", "/api/v1/agents?limit=99999999999", null, "limit" },
        { "GET", "/api/v1/skills?limit=101", null, "limit" },
        { "GET", "/api/v1/agents/search?q=x&k=0", null, "k" },
        { "GET", "/api/v1/agents/search?q=x&k=101", null, "k" },
        // Cursors: not base64url, not ours, empty.
        { "GET", "/api/v1/agents?cursor=not%20a%20cursor", null, "cursor" },
        { "GET", "/api/v1/agents?cursor=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", null, "cursor" },
        { "GET", "/api/v1/agents?cursor=", null, "cursor" },
        { "GET", "/api/v1/skills?cursor=abc", null, "cursor" },
        { "GET", $"/api/v1/agents?cursor={new string('A', 1500)}", null, "cursor" },
        // q too long, blank, missing, with NUL.
        { "GET", $"/api/v1/agents?q={s_long}", null, "q" },
        { "GET", $"/api/v1/agents/search?q={s_long}", null, "q" },
        { "GET", "/api/v1/agents?q=%20%20", null, "q" },
        { "GET", "/api/v1/agents/search", null, "q" },
        { "GET", "/api/v1/agents/search?k=5", null, "q" },
        { "GET", "/api/v1/agents/search?q=", null, "q" },
        { "GET", "/api/v1/agents/search?q=%20", null, "q" },
        { "GET", "/api/v1/agents/search?q=%3F%21...%20--", null, "q" },
        { "GET", "/api/v1/agents/search?q=%F0%9F%99%82%F0%9F%92%B8", null, "q" },
        { "GET", "/api/v1/agents?q=a%00b", null, "q" },
        // Unknown and repeated parameters.
        { "GET", "/api/v1/agents?industri=x", null, "industri" },
        { "GET", "/api/v1/agents?limit=5&limit=6", null, "limit" },
        { "GET", "/api/v1/agents?q=a&q=b", null, "q" },
        { "GET", "/api/v1/agents/search?q=a&sort=name", null, "sort" },
        { "GET", $"/api/v1/agents/{s_agent}?limit=3", null, "limit" },
        { "GET", "/api/v1/skills?industry=x", null, "industry" },
        { "GET", "/api/v1/industries?q=x", null, "q" },
        { "POST", "/api/v1/trials?dryRun=true", """{"agentId":"00000000-0000-0000-0000-000000000000","customer":{"id":"c","email":"a@b.co"}}""", "dryRun" },
        { "POST", $"/api/v1/trials/{Guid.Empty}/cancel?force=1", null, "force" },
        // Bodies that are not the expected JSON (the host's binder names the path).
        { "POST", "/api/v1/trials", "not json", "body" },
        { "POST", "/api/v1/trials", "null", "body" },
        { "POST", "/api/v1/trials", """{"agentId":"x","customer":{"id":"c","email":"a@b.co"}}""", "body" },
        { "POST", "/api/v1/trials", $$"""{"agentId":"{{s_agent}}"}""", "body" },
        { "POST", "/api/v1/trials", $$"""{"agentId":"{{s_agent}}","customer":{"id":"c","email":"a@b.co"},"plan":"gold"}""", "body" },
        { "POST", "/api/v1/trials", $$$"""{"agentId":"{{{s_agent}}}","customer":{"id":5,"email":"a@b.co"}}""", "body" },
        // Body values that are well-formed JSON but wrong.
        { "POST", "/api/v1/trials", $$$"""{"agentId":"{{{Guid.Empty}}}","customer":{"id":"c","email":"a@b.co"}}""", "agentId" },
        { "POST", "/api/v1/trials", $$$"""{"agentId":"{{{s_skill}}}","customer":{"id":"c","email":"a@b.co"}}""", "agentId" },
        { "POST", "/api/v1/trials", $$$"""{"agentId":"{{{s_agent}}}","customer":{"id":"  ","email":"a@b.co"}}""", "customer.id" },
        { "POST", "/api/v1/trials", $$$"""{"agentId":"{{{s_agent}}}","customer":{"id":"{{{new string('c', 201)}}}","email":"a@b.co"}}""", "customer.id" },
        { "POST", "/api/v1/trials", $$$"""{"agentId":"{{{s_agent}}}","customer":{"id":"c\u0000d","email":"a@b.co"}}""", "customer.id" },
        { "POST", "/api/v1/trials", $$$"""{"agentId":"{{{s_agent}}}","customer":{"id":"c","email":"not-an-address"}}""", "customer.email" },
        { "POST", "/api/v1/trials", $$$"""{"agentId":"{{{s_agent}}}","customer":{"id":"c","email":"a@@b.co"}}""", "customer.email" },
        { "POST", "/api/v1/trials", $$$"""{"agentId":"{{{s_agent}}}","customer":{"id":"c","email":"a b@c.co"}}""", "customer.email" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Bad_input_is_a_400_naming_the_parameter_and_changes_nothing(string method, string path, string? body, string parameter)
    {
        var before = await catalog.DigestAsync();

        using var response = await catalog.SendAsync(new HttpMethod(method), path, body);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, parameter == "body" ? "malformed-json" : "bad-request");
        if (parameter != "body")
        {
            Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
            Assert.Contains(parameter.Split('.')[^1], problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(before, await catalog.DigestAsync());
    }

    [Theory]
    [InlineData("GET", "/api/v1/agents/not-a-uuid")]
    [InlineData("GET", "/api/v1/skills/123")]
    [InlineData("GET", "/api/v1/job-roles/x")]
    [InlineData("GET", "/api/v1/teams/x")]
    [InlineData("GET", "/api/v1/industries/x")]
    [InlineData("GET", "/api/v1/trials/x")]
    [InlineData("POST", "/api/v1/trials/x/cancel")]
    public async Task A_malformed_id_in_a_route_is_404_as_no_route_matches_it(string method, string path)
    {
        var before = await catalog.DigestAsync();

        using var response = await catalog.SendAsync(new HttpMethod(method), path, null);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.NotFound, "not-found");
        Assert.StartsWith("No function answers", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await catalog.DigestAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("key\twith\ttabs")]
    public async Task A_malformed_Idempotency_Key_is_a_400_naming_the_header(string key)
    {
        var before = await catalog.DigestAsync();
        var request = TestHost.Request(HttpMethod.Post, "/api/v1/trials");
        request.Content = new StringContent($$$"""{"agentId":"{{{s_agent}}}","customer":{"id":"bad-key-customer","email":"a@b.co"}}""", System.Text.Encoding.UTF8, "application/json");
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);

        using var response = await catalog.Client.SendAsync(request);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "bad-request");
        Assert.Equal("Idempotency-Key", problem.GetProperty("parameter").GetString());
        Assert.Equal(before, await catalog.DigestAsync());
    }

    [Fact]
    public async Task A_too_long_Idempotency_Key_is_a_400()
    {
        using var response = await catalog.SendAsync(HttpMethod.Post, "/api/v1/trials",
            $$$"""{"agentId":"{{{s_agent}}}","customer":{"id":"c","email":"a@b.co"}}""", ("Idempotency-Key", new string('k', 256)));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "bad-request");
        Assert.Equal("Idempotency-Key", problem.GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task A_tampered_cursor_is_a_400_and_so_is_a_cursor_of_another_query()
    {
        var first = await catalog.GetJsonAsync("/api/v1/agents?limit=5&sort=price");
        var cursor = Json.NextCursor(first)!;
        var before = await catalog.DigestAsync();

        // Every single-character change of the cursor is caught.
        var tampered = Enumerable.Range(0, cursor.Length).Select(i =>
            cursor[..i] + (cursor[i] == 'A' ? 'B' : 'A') + cursor[(i + 1)..]).ToList();
        foreach (var changed in tampered.Concat([cursor + "A", cursor[..^1], cursor + "==" ]))
        {
            using var response = await catalog.SendAsync(HttpMethod.Get, $"/api/v1/agents?limit=5&sort=price&cursor={Uri.EscapeDataString(changed)}");
            var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "bad-request");
            Assert.Equal("cursor", problem.GetProperty("parameter").GetString());
        }

        foreach (var other in new[] { "/api/v1/agents?limit=5&sort=name", $"/api/v1/agents?limit=5&sort=price&industry={Seeded.Industry("Healthcare")}", "/api/v1/agents?limit=5&sort=price&status=retired", "/api/v1/skills?limit=5" })
        {
            using var response = await catalog.SendAsync(HttpMethod.Get, $"{other}&cursor={cursor}");
            var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "bad-request");
            Assert.Equal("cursor", problem.GetProperty("parameter").GetString());
        }

        using var valid = await catalog.SendAsync(HttpMethod.Get, $"/api/v1/agents?limit=5&sort=price&cursor={cursor}");
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.Equal(before, await catalog.DigestAsync());
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_415_when_its_content_type_says_so()
    {
        var request = TestHost.Request(HttpMethod.Post, "/api/v1/trials");
        request.Content = new StringContent("agentId=x", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");

        using var response = await catalog.Client.SendAsync(request);

        await Problem.AssertAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }
}

using System.Net;
using Plant.Agents.Tests.Support;
using Plant.Testing.Hosting;

namespace Plant.Agents.Tests;

/// <summary>Every route of the Agents app needs a function key (the health route aside).</summary>
[Collection(ReadOnlyCatalog.Name)]
public sealed class AuthorizationTests(SeededCatalog catalog)
{
    [Theory]
    [InlineData("GET", "/api/v1/agents")]
    [InlineData("GET", "/api/v1/agents/search?q=fraud")]
    [InlineData("GET", "/api/v1/agents/00000000-0000-0000-0000-000000000001")]
    [InlineData("GET", "/api/v1/skills")]
    [InlineData("GET", "/api/v1/skills/00000000-0000-0000-0000-000000000001")]
    [InlineData("GET", "/api/v1/job-roles")]
    [InlineData("GET", "/api/v1/job-roles/00000000-0000-0000-0000-000000000001")]
    [InlineData("GET", "/api/v1/teams")]
    [InlineData("GET", "/api/v1/teams/00000000-0000-0000-0000-000000000001")]
    [InlineData("GET", "/api/v1/industries")]
    [InlineData("GET", "/api/v1/industries/00000000-0000-0000-0000-000000000001")]
    [InlineData("POST", "/api/v1/trials")]
    [InlineData("GET", "/api/v1/trials/00000000-0000-0000-0000-000000000001")]
    [InlineData("POST", "/api/v1/trials/00000000-0000-0000-0000-000000000001/cancel")]
    public async Task Without_a_key_every_route_is_401(string method, string path)
    {
        using var response = await catalog.Client.SendAsync(TestHost.Request(new HttpMethod(method), path, key: null));

        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task The_key_may_come_in_the_code_query_parameter()
    {
        using var response = await catalog.Client.GetAsync($"/api/v1/industries?code={TestHost.FunctionKey}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

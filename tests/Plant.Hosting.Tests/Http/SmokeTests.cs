using System.Net;
using Microsoft.AspNetCore.Http;
using Plant.Hosting.Tests.Support;
using Plant.Testing;

namespace Plant.Hosting.Tests.Http;

public sealed class SmokeFunctions
{
    [Function("Hello")]
    public static IResult Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/hello/{name}")] HttpRequest request, string name) =>
        Results.Ok(new { hello = name });
}

public sealed class SmokeTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task A_function_answers_at_its_route_under_the_prefix()
    {
        await using var host = await TestHost.StartAsync(database.ConnectionString, [typeof(SmokeFunctions)]);
        using var response = await host.Client.SendAsync(TestHost.Request(HttpMethod.Get, "/api/v1/hello/plant"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"hello":"plant"}""", await response.Content.ReadAsStringAsync());
    }
}

using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Plant.Testing.Hosting;
using Plant.Testing;

namespace Plant.Hosting.Tests.Http;

public sealed class RoutingFunctions
{
    [Function("Ping")]
    public static string Ping([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request) => "pong";

    [Function("GetItem")]
    public static object GetItem([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "items/{id:guid}")] HttpRequest request, Guid id) =>
        new { id, type = id.GetType().Name };

    [Function("GetCount")]
    public static object GetCount([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "counts/{n:int}")] HttpRequest request, int n) =>
        new { next = n + 1 };

    [Function("GetSlug")]
    public static string GetSlug([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "slugs/{slug:regex(^[a-z]+(-[a-z]+)*$)}")] HttpRequest request, string slug) =>
        slug;

    [Function("Unconstrained")]
    public static object Unconstrained([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "plain/{n}/{id}")] HttpRequest request, int n, Guid id) =>
        new { n, id };

    [Function("Greet")]
    public static object Greet([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "/v1/greet/{name}/")] HttpRequest request, string name) =>
        new { hello = name };
}

/// <summary>One host per route prefix, shared by the routing tests (they only read).</summary>
public sealed class RoutingHosts : PostgresDatabaseFixture
{
    private readonly Dictionary<string, TestHost> _hosts = [];

    public TestHost this[string name] => _hosts[name];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // "default" has no routePrefix at all, so it shows the default is "api".
        _hosts["default"] = await TestHost.StartAsync(ConnectionString, [typeof(RoutingFunctions)], hostJson: """{ "version": "2.0" }""");
        _hosts["custom"] = await TestHost.StartAsync(ConnectionString, [typeof(RoutingFunctions)],
            hostJson: """{ "version": "2.0", "extensions": { "http": { "routePrefix": "/plant/v2/" } } }""");
        _hosts["empty"] = await TestHost.StartAsync(ConnectionString, [typeof(RoutingFunctions)],
            hostJson: """{ "version": "2.0", "extensions": { "http": { "routePrefix": "" } } }""");
    }

    public override async Task DisposeAsync()
    {
        foreach (var host in _hosts.Values)
        {
            await host.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}

public sealed class RoutingTests(RoutingHosts hosts) : IClassFixture<RoutingHosts>
{
    [Theory]
    [InlineData("default", "/api/Ping")]
    [InlineData("default", "/api/ping")]
    [InlineData("custom", "/plant/v2/Ping")]
    [InlineData("empty", "/Ping")]
    public async Task A_function_without_a_route_answers_at_its_name_under_the_prefix(string host, string path)
    {
        using var response = await hosts[host].Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("pong", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("default", "/Ping")]
    [InlineData("default", "/api/api/Ping")]
    [InlineData("custom", "/api/Ping")]
    [InlineData("custom", "/plant/Ping")]
    [InlineData("empty", "/api/Ping")]
    public async Task A_function_is_not_served_outside_the_prefix(string host, string path)
    {
        using var response = await hosts[host].Client.GetAsync(path);
        await Problem.AssertAsync(response, HttpStatusCode.NotFound, Problems.NotFound);
    }

    [Theory]
    [InlineData("default", "/api/v1/greet/plant%20one")]
    [InlineData("custom", "/plant/v2/v1/greet/plant%20one")]
    [InlineData("empty", "/v1/greet/plant%20one")]
    public async Task A_string_route_value_is_bound_decoded(string host, string path)
    {
        using var response = await hosts[host].Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"hello":"plant one"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_guid_route_value_is_bound_as_a_guid()
    {
        var id = Guid.NewGuid();
        using var response = await hosts["default"].Client.GetAsync($"/api/items/{id:D}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(id, body.RootElement.GetProperty("id").GetGuid());
        Assert.Equal(nameof(Guid), body.RootElement.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("0", 1)]
    [InlineData("41", 42)]
    [InlineData("-5", -4)]
    public async Task An_int_route_value_is_bound_as_an_int(string value, int next)
    {
        using var response = await hosts["default"].Client.GetAsync($"/api/counts/{value}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($$"""{"next":{{next}}}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/api/plain/abc/6f1c1d3e-8a43-4e8e-9d55-2d7d1f0b6a11", "'n'", "Int32")]
    [InlineData("/api/plain/12/not-a-guid", "'id'", "Guid")]
    public async Task An_unconstrained_route_value_of_the_wrong_type_is_a_400_problem_naming_it(string path, string name, string type)
    {
        using var response = await hosts["default"].Client.GetAsync(path);
        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, Problems.BadRequest);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains(name, detail, StringComparison.Ordinal);
        Assert.Contains(type, detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_regex_constraint_is_supported()
    {
        using var response = await hosts["default"].Client.GetAsync("/api/slugs/plant-one");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("plant-one", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/api/items/not-a-guid")]
    [InlineData("/api/items/123")]
    [InlineData("/api/counts/abc")]
    [InlineData("/api/counts/1.5")]
    [InlineData("/api/counts/99999999999")]
    [InlineData("/api/slugs/Plant_1")]
    [InlineData("/api/slugs/-plant")]
    public async Task A_value_that_fails_the_route_constraint_is_a_404_problem(string path)
    {
        using var response = await hosts["default"].Client.GetAsync(path);
        var problem = await Problem.AssertAsync(response, HttpStatusCode.NotFound, Problems.NotFound);
        Assert.Equal(new Uri(path, UriKind.Relative).ToString(), problem.GetProperty("instance").GetString());
    }
}

using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Plant.Testing.Hosting;

namespace Plant.Hosting.Tests.Http;

public sealed record Order(string Customer, int Quantity, IReadOnlyList<string> Tags);

public sealed class ResultFunctions
{
    [Function("Nothing")]
    public static void Nothing([HttpTrigger(AuthorizationLevel.Anonymous, "post")] HttpRequest request)
    {
    }

    [Function("NothingAsync")]
    public static Task NothingAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post")] HttpRequest request) => Task.CompletedTask;

    [Function("NothingValueTask")]
    public static ValueTask NothingValueTask([HttpTrigger(AuthorizationLevel.Anonymous, "post")] HttpRequest request) => ValueTask.CompletedTask;

    [Function("NullObject")]
    public static Task<object?> NullObject([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request) => Task.FromResult<object?>(null);

    [Function("AnObject")]
    public static object AnObject([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request) =>
        new { DisplayName = "Plant", Count = 2 };

    [Function("AnObjectAsync")]
    public static async ValueTask<Order> AnObjectAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request)
    {
        await Task.Yield();
        return new Order("c", 1, ["a"]);
    }

    [Function("Text")]
    public static string Text([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request) => "plain words";

    [Function("Status")]
    public static IResult Status([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "status/{code:int}")] HttpRequest request, int code) =>
        Results.StatusCode(code);

    [Function("Created")]
    public static IResult Created([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "orders/{id:guid}")] HttpRequest request, Guid id, Order order) =>
        Results.Created($"/api/orders/{id}", new { id, order.Customer, order.Quantity, order.Tags });
}

public sealed class ResultTests(SharedHost<ResultFunctions> fixture) : IClassFixture<SharedHost<ResultFunctions>>
{
    private readonly TestHost _host = fixture.Host;

    [Theory]
    [InlineData("POST", "/api/Nothing")]
    [InlineData("POST", "/api/NothingAsync")]
    [InlineData("POST", "/api/NothingValueTask")]
    [InlineData("GET", "/api/NullObject")]
    public async Task A_function_returning_nothing_answers_204(string method, string path)
    {
        using var response = await _host.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/api/AnObject", """{"displayName":"Plant","count":2}""")]
    [InlineData("/api/AnObjectAsync", """{"customer":"c","quantity":1,"tags":["a"]}""")]
    public async Task A_function_returning_an_object_answers_200_with_camel_case_JSON(string path, string json)
    {
        using var response = await _host.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(json, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_function_returning_a_string_answers_200_with_text()
    {
        using var response = await _host.Client.GetAsync("/api/Text");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("plain words", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(400, Problems.BadRequest)]
    [InlineData(403, Problems.Forbidden)]
    [InlineData(404, Problems.NotFound)]
    [InlineData(409, Problems.Conflict)]
    [InlineData(500, Problems.InternalError)]
    [InlineData(503, Problems.Unavailable)]
    [InlineData(418, "http-418")]
    public async Task A_bodiless_error_status_from_a_function_becomes_a_problem(int status, string slug)
    {
        using var response = await _host.Client.GetAsync($"/api/status/{status}");
        var problem = await Problem.AssertAsync(response, (HttpStatusCode)status, slug);
        Assert.DoesNotContain("No function answers", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"customer":"acme","quantity":3,"tags":["x","y"]}""")]
    [InlineData("""{"CUSTOMER":"acme","Quantity":3,"TAGS":["x","y"]}""")]
    [InlineData("""{ "Customer": "acme", "quantity": 3, "Tags": ["x", "y"] }""")]
    public async Task A_record_body_is_bound_with_case_insensitive_property_names(string body)
    {
        var id = Guid.NewGuid();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _host.Client.PostAsync($"/api/orders/{id}", content);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/orders/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal($$"""{"id":"{{id}}","customer":"acme","quantity":3,"tags":["x","y"]}""", await response.Content.ReadAsStringAsync());
    }
}

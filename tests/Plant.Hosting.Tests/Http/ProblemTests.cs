using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Plant.Hosting.Tests.Support;
using Plant.Testing.Hosting;
using Plant.Testing;

namespace Plant.Hosting.Tests.Http;

public sealed record NewItem(string Name, int Count, string? Note = null);

public sealed class ProblemFunctions
{
    public const string Secret = "secret-internals-7f3a";

    [Function("CreateItem")]
    public static object CreateItem([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "items")] HttpRequest request, NewItem item) =>
        new { item.Name, item.Count };

    [Function("Upload")]
    public static async Task<string> Upload([HttpTrigger(AuthorizationLevel.Anonymous, "post")] HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(cancellationToken);
        return text.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    [Function("OnlyGet")]
    public static string OnlyGet([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "only-get")] HttpRequest request) => "got";

    [Function("KeyedProblem")]
    public static string Keyed([HttpTrigger(AuthorizationLevel.Function, "get", Route = "Keyed")] HttpRequest request) => "keyed";

    [Function("Outage")]
    public static void Outage([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request) =>
        throw new Npgsql.NpgsqlException($"Connection to 10.0.0.5 lost ({Secret})", new IOException("Connection reset by peer"));

    [Function("Boom")]
    public static string Boom([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request) =>
        throw new InvalidOperationException($"{Secret}: Host=db.internal;Password=hunter2");
}

/// <summary>One host for all problem tests; its body limit is small so that tests send small bodies.</summary>
public sealed class ProblemHost : PostgresDatabaseFixture
{
    public const int BodyLimit = 200;

    public TestHost Host { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Host = await TestHost.StartAsync(ConnectionString, [typeof(ProblemFunctions)],
            new Dictionary<string, string?> { ["PLANT_MAX_REQUEST_BODY_BYTES"] = BodyLimit.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }

    public override async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await base.DisposeAsync();
    }
}

public sealed class ProblemTests(ProblemHost fixture) : IClassFixture<ProblemHost>
{
    private readonly HttpClient _client = fixture.Host.Client;

    [Theory]
    [InlineData("GET", "/nowhere")]
    [InlineData("GET", "/api/nowhere")]
    [InlineData("POST", "/api/items/extra")]
    [InlineData("DELETE", "/api")]
    public async Task An_unknown_route_is_a_404_problem(string method, string path)
    {
        using var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        var problem = await Problem.AssertAsync(response, HttpStatusCode.NotFound, Problems.NotFound);
        Assert.Equal(path, problem.GetProperty("instance").GetString());
        Assert.Contains(path, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "/api/only-get", "GET, HEAD")]
    [InlineData("DELETE", "/api/only-get", "GET, HEAD")]
    [InlineData("GET", "/api/items", "POST")]
    [InlineData("PUT", "/api/items", "POST")]
    public async Task A_wrong_method_is_a_405_problem_with_an_Allow_header(string method, string path, string allow)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        using var response = await _client.SendAsync(request);
        await Problem.AssertAsync(response, HttpStatusCode.MethodNotAllowed, Problems.MethodNotAllowed);
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
    }

    public static TheoryData<string, bool> OversizedBodies => new()
    {
        { "/api/items", false },
        { "/api/items", true },
        { "/api/Upload", false },
        { "/api/Upload", true },
    };

    [Theory]
    [MemberData(nameof(OversizedBodies))]
    public async Task A_body_over_the_limit_is_a_413_problem(string path, bool chunked)
    {
        var json = Encoding.UTF8.GetBytes($$"""{ "name": "{{new string('x', ProblemHost.BodyLimit)}}", "count": 1 }""");
        using HttpContent content = chunked ? new ChunkedContent(json, "application/json") : new ByteArrayContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _client.PostAsync(path, content);
        await Problem.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge, Problems.PayloadTooLarge);

        // The client's fault: nothing is logged as an error.
        Assert.DoesNotContain(fixture.Host.Logs.Lines, l => l.Level >= LogLevel.Error && l.Message.Contains(path[5..], StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/api/items", false, "{\"name\":\"a\",\"count\":1}")]
    [InlineData("/api/items", true, "{\"name\":\"a\",\"count\":1}")]
    [InlineData("/api/Upload", true, "9")]
    public async Task A_body_within_the_limit_is_accepted_chunked_or_not(string path, bool chunked, string expected)
    {
        var json = Encoding.UTF8.GetBytes("""{"name":"a","count":1}""");
        json = path.EndsWith("Upload", StringComparison.Ordinal) ? Encoding.UTF8.GetBytes("123456789") : json;
        using HttpContent content = chunked ? new ChunkedContent(json, "application/json") : new ByteArrayContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _client.PostAsync(path, content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    [InlineData(null)]
    public async Task A_body_that_is_not_JSON_is_a_415_problem(string? contentType)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"name":"a","count":1}"""));
        if (contentType is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        using var response = await _client.PostAsync("/api/items", content);
        await Problem.AssertAsync(response, HttpStatusCode.UnsupportedMediaType, Problems.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/merge-patch+json")]
    public async Task A_JSON_media_type_with_parameters_or_suffix_is_accepted(string contentType)
    {
        using var content = new StringContent("""{"name":"a","count":2}""");
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await _client.PostAsync("/api/items", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Malformed_JSON_is_a_400_problem_saying_where()
    {
        const string body = "{\n  \"name\": \"a\",\n  \"count\": oops\n}";
        using var response = await _client.PostAsync("/api/items", Json(body));
        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, Problems.MalformedJson);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("line 3", detail, StringComparison.Ordinal);
        Assert.Contains("position 12", detail, StringComparison.Ordinal);
        Assert.Contains("$.count", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"name":"a"}""", "missing", "count")]
    [InlineData("""{"count":1}""", "missing", "name")]
    [InlineData("""{"name":"a","count":1,"colour":"red"}""", "not expected", "colour")]
    [InlineData("""{"name":"a","count":"three"}""", "wrong type", "$.count")]
    [InlineData("""{"name":"a","count":1.5}""", "wrong type", "$.count")]
    [InlineData("""{"name":null,"count":1}""", "null", "name")]
    [InlineData("""{"name":["a"],"count":1}""", "wrong type", "$.name")]
    [InlineData("""[{"name":"a","count":1}]""", "wrong type", "$")]
    [InlineData("""{"name":"a","count":1}}""", "not valid JSON", "line 1")]
    [InlineData("""{"name":"a","count":1""", "not valid JSON", "line 1")]
    [InlineData("""{"name":"a","count":nul}""", "not valid JSON", "$.count")]
    [InlineData("null", "null", "object")]
    [InlineData("", "A JSON body is required", "body")]
    public async Task A_body_that_does_not_fit_the_parameter_is_a_400_problem_saying_what(string body, string what, string where)
    {
        using var response = await _client.PostAsync("/api/items", Json(body));
        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, Problems.MalformedJson);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains(what, detail, StringComparison.Ordinal);
        Assert.Contains(where, detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Plant.", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_key_is_a_401_problem()
    {
        using var response = await _client.GetAsync("/api/Keyed");
        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, Problems.Unauthorized);
    }

    [Fact]
    public async Task A_database_out_of_reach_is_a_503_problem_with_Retry_After_and_no_internals()
    {
        using var response = await _client.GetAsync("/api/Outage");

        var problem = await Problem.AssertAsync(response, HttpStatusCode.ServiceUnavailable, Problems.Unavailable);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.True(Guid.TryParse(problem.GetProperty("invocationId").GetString(), out _));
        Assert.DoesNotContain(ProblemFunctions.Secret, problem.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("10.0.0.5", problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_throwing_function_is_a_500_problem_with_the_invocation_id_and_no_internals()
    {
        using var response = await _client.GetAsync("/api/Boom");
        var problem = await Problem.AssertAsync(response, HttpStatusCode.InternalServerError, Problems.InternalError);
        var invocationId = problem.GetProperty("invocationId").GetString();
        Assert.True(Guid.TryParse(invocationId, out _));
        var body = problem.GetRawText();
        Assert.DoesNotContain(ProblemFunctions.Secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", body, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(InvalidOperationException), body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);

        var executed = Assert.Single(fixture.Host.Logs.Lines, l => l.Message.Contains($"Id={invocationId},", StringComparison.Ordinal)
            && l.Message.StartsWith("Executed 'Functions.Boom' (Failed,", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Error, executed.Level);
        Assert.Contains(ProblemFunctions.Secret, executed.Message, StringComparison.Ordinal);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}

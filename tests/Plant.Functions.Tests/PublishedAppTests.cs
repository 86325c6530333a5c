using System.Net;
using System.Text.Json;
using Plant.Functions.Tests.Support;
using Plant.Testing;

namespace Plant.Functions.Tests;

/// <summary>
/// Each function app's Native AOT executable, run as its container runs it (K_SERVICE and PORT set; uat, so the
/// master key is required) against a migrated and seeded PostgreSQL, and called over real HTTP on the loopback
/// address. The same tests for every app (here), and each app's own routes (below).
/// </summary>
public abstract class PublishedAppTests(PublishedAppFixture fixture)
{
    private static readonly TimeSpan LogWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(60);

    protected HttpClient Client => fixture.Client;

    protected AppProcess App => fixture.Running;

    [Fact]
    public async Task Health_function_answers_200_with_its_app_name()
    {
        using var response = await Client.GetAsync(new Uri(App.BaseAddress, fixture.HealthRoute));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(fixture.Service, body.RootElement.GetProperty("app").GetString());
        Assert.Equal("ok", body.RootElement.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("healthz", "alive")]
    [InlineData("readyz", "ready")]
    public async Task Health_endpoints_answer_200_with_the_database_reachable(string path, string status)
    {
        using var response = await Client.GetAsync(new Uri(App.BaseAddress, path));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(status, body.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Unknown_route_is_a_404_problem()
    {
        using var response = await Client.GetAsync(new Uri(App.BaseAddress, "api/no-such-thing"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(404, body.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("urn:plant:problem:not-found", body.RootElement.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("master", HttpStatusCode.BadRequest)] // an HTTP function is called on its own route, not through the admin API
    public async Task Admin_api_requires_the_master_key(string? key, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(App.BaseAddress, $"admin/functions/{fixture.HealthFunction}"));
        if (key is not null)
        {
            request.Headers.Add("x-functions-key", fixture.MasterKey);
        }

        using var response = await Client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Readyz_is_a_503_problem_when_the_database_is_unreachable()
    {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        await using var app = await fixture.StartAsync(s => s["DATABASE_URL"] = "Host=127.0.0.1;Port=1;Username=plant;Database=plant;Timeout=2");

        using var ready = await Client.GetAsync(new Uri(app.BaseAddress, "readyz"));
        using var alive = await Client.GetAsync(new Uri(app.BaseAddress, "healthz"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("application/problem+json", ready.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task Invocation_log_lines_are_json_with_severity_on_stdout()
    {
        using var response = await Client.GetAsync(new Uri(App.BaseAddress, fixture.HealthRoute));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var executed = Parse(await App.WaitForStdoutAsync(l => MessageOf(l).StartsWith($"Executed 'Functions.{fixture.HealthFunction}'", StringComparison.Ordinal), LogWait));
        var invocationId = executed.GetProperty("invocationId").GetString()!;
        var executing = Parse(await App.WaitForStdoutAsync(
            l => MessageOf(l).StartsWith($"Executing 'Functions.{fixture.HealthFunction}'", StringComparison.Ordinal) && l.Contains(invocationId, StringComparison.Ordinal), LogWait));

        Assert.Equal("INFO", executing.GetProperty("severity").GetString());
        Assert.Equal("INFO", executed.GetProperty("severity").GetString());
        Assert.Equal("Succeeded", executed.GetProperty("outcome").GetString());
        Assert.Equal(fixture.HealthFunction, executed.GetProperty("functionName").GetString());
        Assert.Contains("Duration=", executed.GetProperty("message").GetString(), StringComparison.Ordinal);
        // Every line, not only these two: Cloud Logging files a line that is not JSON as plain text with no level.
        Assert.All(App.StdoutLines, line => Assert.False(string.IsNullOrEmpty(Parse(line).GetProperty("severity").GetString())));
    }

    [Fact]
    public async Task Start_up_with_the_image_environment_writes_no_warning_and_nothing_to_stderr()
    {
        // Start-up ends with the banner's lines for the functions; later lines belong to other tests' requests.
        var banner = await App.WaitForStdoutAsync(l => MessageOf(l).StartsWith($"Function {fixture.HealthFunction}:", StringComparison.Ordinal), LogWait);
        var startup = App.StdoutLines.TakeWhile(l => l != banner).Append(banner).ToList();

        Assert.Contains(startup, l => MessageOf(l).StartsWith("Now listening on", StringComparison.Ordinal));
        Assert.DoesNotContain(startup, line => Parse(line).GetProperty("severity").GetString() is "WARNING" or "ERROR" or "CRITICAL");
        Assert.Equal("", App.Stderr);
    }

    [Fact]
    public async Task Listens_on_every_address_and_answers_on_loopback()
    {
        var listening = Parse(await App.WaitForStdoutAsync(l => MessageOf(l).StartsWith("Now listening on", StringComparison.Ordinal), LogWait));

        Assert.Equal($"http://0.0.0.0:{App.Port}", listening.GetProperty("address").GetString());
        using var response = await Client.GetAsync(new Uri($"http://127.0.0.1:{App.Port}/healthz"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Master_key_never_appears_in_stdout_or_stderr()
    {
        await using var app = await fixture.StartAsync();
        var key = fixture.MasterKey;
        // Every place a key may travel: the header, the query string, on a function, on a missing route, on the admin API.
        foreach (var (method, path, inQuery) in new[]
        {
            (HttpMethod.Get, fixture.HealthRoute, false),
            (HttpMethod.Get, fixture.HealthRoute, true),
            (HttpMethod.Get, $"api/v1/{fixture.Service}/missing", true),
            (HttpMethod.Post, $"admin/functions/{fixture.HealthFunction}", false),
            (HttpMethod.Post, "admin/functions/NoSuchFunction", true),
        })
        {
            using var request = new HttpRequestMessage(method, new Uri(app.BaseAddress, inQuery ? $"{path}?code={Uri.EscapeDataString(key)}" : path));
            if (!inQuery)
            {
                request.Headers.Add("x-functions-key", key);
            }

            using var response = await Client.SendAsync(request);
            Assert.DoesNotContain(key, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Shutting down flushes the console logger, so every line the requests caused is in the output.
        app.Terminate();
        Assert.Equal(0, await app.WaitForExitAsync(ExitWait));
        Assert.Contains(app.StdoutLines, l => MessageOf(l).StartsWith($"Executed 'Functions.{fixture.HealthFunction}'", StringComparison.Ordinal));
        Assert.DoesNotContain(key, app.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(key, app.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_stops_the_app_with_exit_code_0()
    {
        await using var app = await fixture.StartAsync();
        using (var response = await Client.GetAsync(new Uri(app.BaseAddress, fixture.HealthRoute)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        app.Terminate();

        Assert.Equal(0, await app.WaitForExitAsync(ExitWait));
        Assert.Contains(app.StdoutLines, l => MessageOf(l).StartsWith("Application is shutting down", StringComparison.Ordinal));
        Assert.Equal("", app.Stderr);
    }

    [Fact]
    public async Task Function_target_naming_an_unknown_function_stops_start_up()
    {
        await using var app = fixture.StartWithoutWaiting(s => s["FUNCTION_TARGET"] = $"{fixture.HealthFunction},NoSuchFunction");

        Assert.NotEqual(0, await app.WaitForExitAsync(ExitWait));
        Assert.Contains("FUNCTION_TARGET", app.Stderr, StringComparison.Ordinal);
        Assert.Contains("NoSuchFunction", app.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_master_key_outside_local_stops_start_up()
    {
        await using var app = fixture.StartWithoutWaiting(s => s.Remove("PLANT_MASTER_KEY"));

        Assert.NotEqual(0, await app.WaitForExitAsync(ExitWait));
        Assert.Contains("PLANT_MASTER_KEY", app.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_function_target_serves_only_the_functions_it_names()
    {
        await using var app = await fixture.StartAsync(s => s["FUNCTION_TARGET"] = fixture.HealthFunction);

        using var health = await Client.GetAsync(new Uri(app.BaseAddress, fixture.HealthRoute));
        using var other = await Client.SendAsync(Keyed(HttpMethod.Get, new Uri(app.BaseAddress, OtherRoute)));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public void The_app_is_one_native_executable_with_no_assemblies_beside_it()
    {
        var executable = Path.Combine(fixture.Folder, $"Plant.{fixture.App}");

        Assert.True(File.Exists(executable));
        // An ELF file, not a managed assembly; the runtime is compiled into it, so no .dll ships beside it.
        Assert.Equal([0x7F, (byte)'E', (byte)'L', (byte)'F'], File.ReadAllBytes(executable).AsSpan(0, 4).ToArray());
        Assert.Empty(Directory.GetFiles(fixture.Folder, "*.dll"));
    }

    [Fact]
    public void Host_json_and_the_OpenAPI_document_are_published_beside_the_app()
    {
        Assert.True(File.Exists(Path.Combine(fixture.Folder, "host.json")));
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(fixture.Folder, "openapi.json")));
        Assert.Equal("3.1.1", document.RootElement.GetProperty("openapi").GetString());
    }

    /// <summary>A route of the app other than its health function, that reads the database (GET, Function or Admin level).</summary>
    protected abstract string OtherRoute { get; }

    protected HttpRequestMessage Keyed(HttpMethod method, Uri uri)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Add("x-functions-key", fixture.MasterKey);
        return request;
    }

    protected async Task<JsonElement> GetJsonAsync(string route, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = Keyed(HttpMethod.Get, new Uri(App.BaseAddress, route));
        using var response = await Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{route}: {(int)response.StatusCode}\n{body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>The message of a JSON log line ("" for any other line); the JSON escapes quotes, the message does not.</summary>
    protected static string MessageOf(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.TryGetProperty("message", out var message) ? message.GetString() ?? "" : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    protected static JsonElement Parse(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"Not a JSON line: {line}\n{e.Message}");
        }
    }
}

using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Plant.Testing.Hosting;
using Plant.Testing;

namespace Plant.Hosting.Tests.Http;

public sealed class AuthorizationFunctions
{
    [Function("Open")]
    public static string Open([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request) => "open";

    [Function("Keyed")]
    public static string Keyed([HttpTrigger(AuthorizationLevel.Function, "get")] HttpRequest request) => "keyed";

    [Function("AdminOnly")]
    public static string AdminOnly([HttpTrigger(AuthorizationLevel.Admin, "get")] HttpRequest request) => "admin";
}

/// <summary>A host with default log levels and one that logs everything, shared by the authorization tests.</summary>
public sealed class AuthorizationHosts : PostgresDatabaseFixture
{
    public TestHost Host { get; private set; } = null!;

    public TestHost TraceHost { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Host = await TestHost.StartAsync(ConnectionString, [typeof(AuthorizationFunctions)]);
        TraceHost = await TestHost.StartAsync(ConnectionString, [typeof(AuthorizationFunctions)],
            hostJson: """{ "version": "2.0", "logging": { "logLevel": { "default": "Trace", "Microsoft": "Trace", "Microsoft.AspNetCore.Hosting.Diagnostics": "Trace" } } }""");
    }

    public override async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await TraceHost.DisposeAsync();
        await base.DisposeAsync();
    }
}

public sealed class AuthorizationTests(AuthorizationHosts hosts) : IClassFixture<AuthorizationHosts>
{
    private const string WrongKey = "wrong-key-4c1d9a7e8b2f";

    private static readonly (string Function, string Key, HttpStatusCode Status)[] s_table =
    [
        ("Open", "none", HttpStatusCode.OK),
        ("Open", "function", HttpStatusCode.OK),
        ("Open", "master", HttpStatusCode.OK),
        ("Open", "wrong", HttpStatusCode.OK),
        ("Keyed", "none", HttpStatusCode.Unauthorized),
        ("Keyed", "function", HttpStatusCode.OK),
        ("Keyed", "master", HttpStatusCode.OK),
        ("Keyed", "wrong", HttpStatusCode.Unauthorized),
        ("AdminOnly", "none", HttpStatusCode.Unauthorized),
        ("AdminOnly", "function", HttpStatusCode.Unauthorized),
        ("AdminOnly", "master", HttpStatusCode.OK),
        ("AdminOnly", "wrong", HttpStatusCode.Unauthorized),
    ];

    /// <summary>The table above, once with the key in the x-functions-key header and once in ?code=.</summary>
    public static TheoryData<string, string, string, HttpStatusCode> Cases()
    {
        var data = new TheoryData<string, string, string, HttpStatusCode>();
        foreach (var via in new[] { "header", "query" })
        {
            foreach (var (function, key, status) in s_table)
            {
                data.Add(function, key, via, status);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_authorization_level_accepts_exactly_its_keys(string function, string key, string via, HttpStatusCode status)
    {
        using var response = await hosts.Host.Client.SendAsync(Request(function, key, via));
        if (status == HttpStatusCode.OK)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return;
        }

        var problem = await Problem.AssertAsync(response, status, Problems.Unauthorized);
        Assert.Equal($"/api/{function}", problem.GetProperty("instance").GetString());
    }

    [Theory]
    [InlineData("Keyed", "header")]
    [InlineData("Keyed", "query")]
    [InlineData("AdminOnly", "header")]
    [InlineData("AdminOnly", "query")]
    public async Task A_wrong_key_is_not_echoed_in_the_response(string function, string via)
    {
        using var response = await hosts.Host.Client.SendAsync(Request(function, "wrong", via));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(WrongKey, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(response.Headers.Concat(response.Content.Headers), h => h.Value.Any(v => v.Contains(WrongKey, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task No_key_appears_in_any_log_line_even_at_Trace()
    {
        var host = hosts.TraceHost;
        foreach (var via in new[] { "header", "query" })
        {
            foreach (var (function, key, _) in s_table)
            {
                using var response = await host.Client.SendAsync(Request(function, key, via));
            }

            using var unknown = await host.Client.SendAsync(Request("Nowhere", "wrong", via));
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        // The host did log at Trace, so the absence below means something.
        Assert.Contains(host.Logs.Lines, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Trace);
        Assert.Contains(host.Logs.Lines, l => l.Message.StartsWith("Executed 'Functions.Keyed'", StringComparison.Ordinal));
        var all = host.Logs.All;
        Assert.DoesNotContain(WrongKey, all, StringComparison.Ordinal);
        Assert.DoesNotContain(TestHost.FunctionKey, all, StringComparison.Ordinal);
        Assert.DoesNotContain(TestHost.MasterKey, all, StringComparison.Ordinal);
    }

    private static HttpRequestMessage Request(string function, string key, string via)
    {
        var value = key switch
        {
            "function" => TestHost.FunctionKey,
            "master" => TestHost.MasterKey,
            "wrong" => WrongKey,
            _ => null,
        };
        if (via == "header" || value is null)
        {
            return TestHost.Request(HttpMethod.Get, $"/api/{function}", value);
        }

        return TestHost.Request(HttpMethod.Get, $"/api/{function}?code={Uri.EscapeDataString(value)}", key: null);
    }
}

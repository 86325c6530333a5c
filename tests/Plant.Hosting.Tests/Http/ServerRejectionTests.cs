using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Plant.Testing;
using Plant.Testing.Hosting;

namespace Plant.Hosting.Tests.Http;

public sealed class CountingFunctions
{
    private static int s_calls;

    public static int Calls => Volatile.Read(ref s_calls);

    [Function("Count")]
    public static int Count([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post")] HttpRequest request) => Interlocked.Increment(ref s_calls);
}

/// <summary>One host for the raw-request tests: they only send requests that Kestrel refuses before any function runs.</summary>
public sealed class RawRequestHost : PostgresDatabaseFixture
{
    public TestHost Host { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Host = await TestHost.StartAsync(ConnectionString, [typeof(CountingFunctions)], hostJson: """{ "version": "2.0" }""");
    }

    public override async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>
/// Requests that Kestrel refuses while it parses them, before the host or any function sees them: it answers the
/// status with an empty body and closes the connection, and offers no hook to write a body (docs/HTTP.md, "Requests
/// the server refuses"). These tests pin that down, so that a change of server or version that lets the host answer
/// them is noticed, and check that none of them reaches a function or harms the host.
/// </summary>
public sealed class ServerRejectionTests(RawRequestHost fixture) : IClassFixture<RawRequestHost>
{
    public static TheoryData<string, string, int> Requests => new()
    {
        { "NUL in the path", "GET /api/Count%00 HTTP/1.1\r\nHost: localhost\r\n\r\n", 400 },
        { "NUL in a header", "GET /api/Count HTTP/1.1\r\nHost: localhost\r\nX-Plant-Actor: a\0b\r\n\r\n", 400 },
        { "a bad Host", "GET /api/Count HTTP/1.1\r\nHost: exa mple:port\r\n\r\n", 400 },
        { "no Host", "GET /api/Count HTTP/1.1\r\n\r\n", 400 },
        { "two Hosts", "GET /api/Count HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400 },
        { "Content-Length: abc", "POST /api/Count HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n", 400 },
        { "a request line over 8 KB", $"GET /api/Count?q={new string('a', 8 * 1024)} HTTP/1.1\r\nHost: localhost\r\n\r\n", 414 },
        { "headers over 32 KB", $"GET /api/Count HTTP/1.1\r\nHost: localhost\r\n{string.Concat(Enumerable.Range(0, 40).Select(i => $"X-H{i}: {new string('v', 1000)}\r\n"))}\r\n", 431 },
        { "not HTTP", "HELLO\r\n\r\n", 400 },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Kestrel_refuses_the_request_with_its_status_and_an_empty_body_and_closes_the_connection(string what, string request, int status)
    {
        var calls = CountingFunctions.Calls;

        var response = await SendRawAsync(request);

        Assert.True(response.StartsWith($"HTTP/1.1 {status} ", StringComparison.Ordinal), $"{what}: {response}");
        Assert.Contains("\r\nContent-Length: 0\r\n", response, StringComparison.Ordinal);
        Assert.Contains("\r\nConnection: close\r\n", response, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n", response, StringComparison.Ordinal);
        // No function ran, and the host serves the next client as before.
        Assert.Equal(calls, CountingFunctions.Calls);
        using var next = await fixture.Host.Client.GetAsync("/api/Count");
        Assert.Equal((calls + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), await next.Content.ReadAsStringAsync());
    }

    /// <summary>Sends bytes as written and reads until the server closes the connection.</summary>
    private async Task<string> SendRawAsync(string request)
    {
        var address = fixture.Host.Client.BaseAddress!;
        using var client = new TcpClient();
        await client.ConnectAsync(address.Host, address.Port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        using var read = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await stream.CopyToAsync(read, timeout.Token);
        return Encoding.Latin1.GetString(read.ToArray());
    }
}

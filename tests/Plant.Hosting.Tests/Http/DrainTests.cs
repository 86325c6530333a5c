using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Plant.Testing.Hosting;
using Plant.Testing;

namespace Plant.Hosting.Tests.Http;

public sealed class DrainFunctions
{
    /// <summary>Released when an invocation has begun, so that the test stops the host mid-request.</summary>
    internal static readonly SemaphoreSlim Started = new(0);

    [Function("Slow")]
    public static async Task<string> Slow([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request, CancellationToken cancellationToken)
    {
        Started.Release();
        await Task.Delay(TimeSpan.FromSeconds(1.5), cancellationToken);
        return "finished";
    }
}

public sealed class DrainTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task A_request_in_flight_completes_while_the_host_stops()
    {
        await using var host = await TestHost.StartAsync(database.ConnectionString, [typeof(DrainFunctions)]);
        var address = host.Client.BaseAddress!;
        var inFlight = host.Client.GetAsync("/api/Slow");
        Assert.True(await DrainFunctions.Started.WaitAsync(TimeSpan.FromSeconds(30)));

        var stopping = host.StopAsync();
        using var response = await inFlight;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("finished", await response.Content.ReadAsStringAsync());
        await stopping;

        // Once stopped, the host takes no new requests.
        using var fresh = new HttpClient { BaseAddress = address };
        await Assert.ThrowsAsync<HttpRequestException>(() => fresh.GetAsync("/api/Slow"));
        Assert.Single(host.Logs.Lines, l => l.Message.StartsWith("Executed 'Functions.Slow' (Succeeded", StringComparison.Ordinal));
    }
}

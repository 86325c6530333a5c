using System.Diagnostics;
using System.Globalization;

namespace Plant.Bench.Agents;

/// <summary>
/// An HTTP load for what wrk does not report: the time, status and <c>Retry-After</c> of every response (the outage
/// benchmark), at a steady rate rather than as fast as the server answers (the soak). Prints one line per response,
/// <c>unix-ms status retry-after(0|1)</c>, status 0 when there was none (refused, reset, timed out).
/// </summary>
internal static class Load
{
    public static async Task<int> RunAsync(Uri url, TimeSpan duration, int connections, double rate)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, ConnectTimeout = TimeSpan.FromSeconds(2) };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Add("x-functions-key", Serve.FunctionKey);
        var clock = Stopwatch.StartNew();
        // Each worker sends its share of the rate: worker i at i/rate, i/rate + connections/rate, ...
        var interval = rate > 0 ? TimeSpan.FromSeconds(connections / rate) : TimeSpan.Zero;
        var workers = Enumerable.Range(0, connections).Select(i => Task.Run(async () =>
        {
            var lines = new List<string>();
            var due = rate > 0 ? TimeSpan.FromSeconds(i / rate) : TimeSpan.Zero;
            while (clock.Elapsed < duration)
            {
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }

                due += interval;
                int status;
                var retryAfter = false;
                try
                {
                    using var response = await client.GetAsync(url);
                    await response.Content.ReadAsByteArrayAsync();
                    (status, retryAfter) = ((int)response.StatusCode, response.Headers.RetryAfter is not null);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    status = 0;
                }

                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()} {status} {(retryAfter ? 1 : 0)}"));
            }

            return lines;
        })).ToList();

        foreach (var lines in await Task.WhenAll(workers))
        {
            foreach (var line in lines)
            {
                Console.Out.WriteLine(line);
            }
        }

        return 0;
    }
}

using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Plant.Hosting;
using Xunit;

namespace Plant.Testing.Hosting;

/// <summary>
/// An app on a PostgreSQL server of its own, migrated and seeded, for tests that stop and restart the database under
/// it. Each test of a class gets the server running and leaves it running.
/// </summary>
public sealed class OutageDrill : IAsyncDisposable
{
    private OutageDrill(PrivatePostgresServer postgres, string connectionString, TestHost host)
    {
        Postgres = postgres;
        ConnectionString = connectionString;
        Host = host;
    }

    public PrivatePostgresServer Postgres { get; }

    public string ConnectionString { get; }

    public TestHost Host { get; }

    /// <summary>Starts a server, migrates and seeds a database on it, and starts <paramref name="app"/> on that.</summary>
    public static async Task<OutageDrill> StartAsync(FunctionApp app, IDictionary<string, string?>? settings = null)
    {
        var postgres = await PostgresServer.StartPrivateAsync();
        try
        {
            var connectionString = await postgres.Server.CreateDatabaseAsync("outage");
            await using (var dataSource = NpgsqlDataSource.Create(connectionString))
            {
                await TestCatalog.MigrateAndSeedAsync(dataSource);
            }

            var all = TestSigningKeys.Settings.ToDictionary(s => s.Key, s => (string?)s.Value);
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                all[key] = value;
            }

            return new OutageDrill(postgres, connectionString, await TestHost.StartAsync(connectionString, app, all));
        }
        catch
        {
            await postgres.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every route of the app's HTTP functions, as "METHOD /api/path/{pattern}", health routes excepted.</summary>
    public IReadOnlySet<string> FunctionRoutes() =>
        Host.Services.GetServices<EndpointDataSource>()
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.RoutePattern.RawText is { } raw && raw.StartsWith("api/", StringComparison.Ordinal) && !raw.EndsWith("/health", StringComparison.Ordinal))
            .SelectMany(endpoint => endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Select(method => $"{method} /{endpoint.RoutePattern.RawText}") ?? [])
            .ToHashSet();

    /// <summary>
    /// While the database is stopped the request is a 503 problem with <c>Retry-After</c>, never a 500; once it is back,
    /// the request answers as expected at its first try.
    /// </summary>
    public async Task AssertDownThenBackAsync(OutageRequest request)
    {
        await Postgres.StopAsync();
        try
        {
            using var down = await SendAsync(request);

            await Problem.AssertAsync(down, HttpStatusCode.ServiceUnavailable, "unavailable");
            Assert.Equal(TimeSpan.FromSeconds(5), down.Headers.RetryAfter?.Delta);
        }
        finally
        {
            await Postgres.StartAsync();
        }

        await AssertAnswersAsync(request);
    }

    /// <summary>
    /// With the pool full of connections (<paramref name="fill"/> sent many times at once), the database restarts while
    /// the app is idle: the request's first try after that answers as expected.
    /// </summary>
    public async Task AssertRestartFailsNothingAsync(OutageRequest request, OutageRequest fill)
    {
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => AssertAnswersAsync(fill)));

        await Postgres.StopAsync();
        await Postgres.StartAsync();
        await AssertAnswersAsync(request);
    }

    /// <summary>The request answers <see cref="OutageRequest.Expected"/>.</summary>
    public async Task AssertAnswersAsync(OutageRequest request)
    {
        using var response = await SendAsync(request);
        Assert.True(request.Expected == response.StatusCode,
            $"{request.Route}: expected {(int)request.Expected}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\nThe host log, last lines:\n{string.Join("\n", Host.Logs.All.Split('\n').TakeLast(40))}");
    }

    /// <summary>Reads one number with SQL, as the superuser.</summary>
    public async Task<long> CountAsync(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private Task<HttpResponseMessage> SendAsync(OutageRequest request)
    {
        var message = TestHost.Request(new HttpMethod(request.Method), request.Path, request.Key);
        if (request.Body?.Invoke() is { } body)
        {
            message.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        return Host.Client.SendAsync(message);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}

/// <summary>
/// One route's request in an outage test: <see cref="Route"/> is the route as <see cref="OutageDrill.FunctionRoutes"/>
/// names it; the body, when there is one, is made anew for every send.
/// </summary>
public sealed record OutageRequest(
    string Route, string Path, HttpStatusCode Expected = HttpStatusCode.OK, string? Key = TestHost.FunctionKey, Func<string>? Body = null,
    params (string Name, string Value)[] Headers)
{
    public string Method => Route[..Route.IndexOf(' ', StringComparison.Ordinal)];
}

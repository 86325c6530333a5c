using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Npgsql;
using Plant.Testing;
using Plant.Testing.Hosting;

namespace Plant.Hosting.Tests.Http;

/// <summary>
/// A function that reads through the host's data source, whose pooled connection the test has made stale (its session
/// ended by the server, as a restart does), and that may first write through a data source of its own.
/// </summary>
public sealed class StaleSessionFunctions(NpgsqlDataSource dataSource)
{
    private static readonly Dictionary<string, int> s_tries = [];

    public static int Tries(string name)
    {
        lock (s_tries)
        {
            return s_tries.GetValueOrDefault(name);
        }
    }

    [Function("ReadsStale")]
    public async Task<string> ReadsStale(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "stale/{name}")] HttpRequest request, string name, CancellationToken ct)
    {
        lock (s_tries)
        {
            s_tries[name] = s_tries.GetValueOrDefault(name) + 1;
        }

        var body = await new StreamReader(request.Body).ReadToEndAsync(ct);
        request.HttpContext.Response.Headers["X-Seen"] = "yes";
        if (request.Query.ContainsKey("writeFirst"))
        {
            await using var own = NpgsqlDataSource.Create(dataSource.ConnectionString);
            await using var write = own.CreateCommand("insert into stale_writes (name) values ($1)");
            write.Parameters.AddWithValue(name);
            await write.ExecuteNonQueryAsync(ct);
        }

        await using var read = dataSource.CreateCommand("select 1");
        await read.ExecuteScalarAsync(ct);
        return body;
    }
}

public sealed class StaleSessionHost : PostgresDatabaseFixture
{
    public TestHost Host { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using (var command = DataSource.CreateCommand("create table stale_writes (name text not null)"))
        {
            await command.ExecuteNonQueryAsync();
        }

        Host = await TestHost.StartAsync(ConnectionString, [typeof(StaleSessionFunctions)]);
    }

    public override async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}

/// <summary>An invocation is run again after a stale pooled connection only when none of its statements had completed.</summary>
public sealed class StaleConnectionTests(StaleSessionHost fixture) : IClassFixture<StaleSessionHost>
{
    [Fact]
    public async Task A_function_whose_session_the_server_ended_before_any_statement_completed_runs_again_with_its_body()
    {
        var name = Guid.NewGuid().ToString("N");
        await MakePooledConnectionStaleAsync();

        using var response = await PostAsync(name, "the body");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("the body", await response.Content.ReadAsStringAsync());
        Assert.Equal(2, StaleSessionFunctions.Tries(name));
        Assert.Contains(fixture.Host.Logs.Lines, l => l.Message.Contains("Running 'Functions.ReadsStale' again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_function_that_wrote_before_its_session_ended_is_not_run_again_it_is_a_503()
    {
        var name = Guid.NewGuid().ToString("N");
        await MakePooledConnectionStaleAsync();

        using var response = await PostAsync(name, "the body", "?writeFirst=1");

        await Problem.AssertAsync(response, HttpStatusCode.ServiceUnavailable, Problems.Unavailable);
        Assert.False(response.Headers.Contains("X-Seen"));
        Assert.Equal(1, StaleSessionFunctions.Tries(name));
        await using var count = fixture.DataSource.CreateCommand("select count(*) from stale_writes where name = $1");
        count.Parameters.AddWithValue(name);
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }

    /// <summary>Leaves one connection idle in the host's pool, and has the server end its session.</summary>
    private async Task MakePooledConnectionStaleAsync()
    {
        var pool = (NpgsqlDataSource)fixture.Host.Services.GetService(typeof(NpgsqlDataSource))!;
        pool.Clear();
        int pid;
        await using (var connection = await pool.OpenConnectionAsync())
        {
            pid = connection.ProcessID;
        }

        await using var terminate = fixture.DataSource.CreateCommand("select pg_terminate_backend($1, 10000)");
        terminate.Parameters.AddWithValue(pid);
        Assert.Equal(true, await terminate.ExecuteScalarAsync());
    }

    private Task<HttpResponseMessage> PostAsync(string name, string body, string query = "") =>
        fixture.Host.Client.PostAsync($"/api/stale/{name}{query}", new StringContent(body, Encoding.UTF8, "text/plain"));
}

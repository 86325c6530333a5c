using System.Net;
using System.Net.Sockets;
using Npgsql;
using Plant.Core.Migrations;
using Plant.Core.Migrations.Runs;
using Plant.Migrate.Tests.Support;
using Plant.Testing;

namespace Plant.Migrate.Tests.Pipeline;

/// <summary>
/// A migration runner killed mid-statement (<c>kill -9</c>: its sockets close, nothing more is said). PostgreSQL
/// notices within seconds and ends the session, which frees the migration lock; the next run records the dead one as
/// interrupted.
/// </summary>
public sealed class KilledRunnerTests
{
    /// <summary>A migration that takes five minutes, longer than the test waits.</summary>
    private static readonly MigrationSet s_slow = MigrationSet.FromList([new Migration(1, "slow", "select pg_sleep(300);\n", "select 1;\n")]);

    [Fact]
    public async Task A_runner_killed_while_a_migration_waits_frees_the_lock_and_the_next_run_records_it_as_interrupted()
    {
        await using var db = await ScratchDatabase.CreateAsync("killed_runner");
        using var proxy = new SeverableProxy(new NpgsqlConnectionStringBuilder(db.ConnectionString).Port);
        var throughProxy = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Port = proxy.Port, ApplicationName = "doomed-runner", Pooling = false };
        await using var doomedSource = NpgsqlDataSource.Create(throughProxy.ConnectionString);
        var doomed = TestPipeline.Create(doomedSource, s_slow).UpAsync();
        await WaitUntilAsync(db, "select count(*) = 1 from pg_stat_activity where application_name = 'doomed-runner' and query like '%pg_sleep%'");

        proxy.Sever();
        await Assert.ThrowsAnyAsync<Exception>(() => doomed);

        // Without the client check the session would sleep on for minutes, holding the migration lock.
        await WaitUntilAsync(db, "select count(*) = 0 from pg_stat_activity where application_name = 'doomed-runner'");
        var next = await TestPipeline.Create(db.DataSource, TestSets.Tables(1)).UpAsync(lockWait: TimeSpan.Zero);
        var runs = await MigrationRuns.ReadRecentAsync(db.DataSource, 10);

        Assert.Equal(MigrationRunOutcome.Succeeded, next.Outcome);
        var interrupted = Assert.Single(runs, r => r.Outcome == MigrationRunOutcome.Interrupted);
        Assert.Equal(MigrationOperation.Up, interrupted.Operation);
        Assert.Equal(0, interrupted.ToVersion);
        Assert.Contains("runner's session ended", interrupted.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from plant_migrations.runs_in_progress"));
    }

    /// <summary>Polls a condition for up to half a minute (the server's client checks run every second).</summary>
    private static async Task WaitUntilAsync(ScratchDatabase db, string condition)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); ; await Task.Delay(100))
        {
            if (await db.ScalarAsync<bool>(condition))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Still not true after half a minute: {condition}");
        }
    }

    /// <summary>A TCP relay to PostgreSQL whose sockets can all be closed at once, as the kernel does for a killed process.</summary>
    private sealed class SeverableProxy : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<Socket> _sockets = [];

        public SeverableProxy(int serverPort)
        {
            _listener.Start();
            _ = AcceptAsync(serverPort);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public void Sever()
        {
            lock (_sockets)
            {
                foreach (var socket in _sockets)
                {
                    socket.Dispose();
                }
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            Sever();
        }

        private async Task AcceptAsync(int serverPort)
        {
            try
            {
                while (true)
                {
                    var client = await _listener.AcceptSocketAsync();
                    var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    await server.ConnectAsync(IPAddress.Loopback, serverPort);
                    lock (_sockets)
                    {
                        _sockets.AddRange([client, server]);
                    }

                    _ = PumpAsync(client, server);
                    _ = PumpAsync(server, client);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        }

        private static async Task PumpAsync(Socket from, Socket to)
        {
            var buffer = new byte[16 * 1024];
            try
            {
                int read;
                while ((read = await from.ReceiveAsync(buffer)) > 0)
                {
                    await to.SendAsync(buffer.AsMemory(0, read));
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Severed.
            }
        }
    }
}

namespace Plant.Testing;

/// <summary>
/// A PostgreSQL server one test owns, to stop and start again while an app is using it: the tests of database
/// outages. Its databases are made with <see cref="Server"/>; disposing it stops it and deletes its folder.
/// </summary>
public sealed class PrivatePostgresServer(PostgresServer server) : IAsyncDisposable
{
    public PostgresServer Server { get; } = server;

    /// <summary>Stops the server as an operator does (<c>pg_ctl stop -m fast</c>): every session is terminated.</summary>
    public Task StopAsync() => Server.StopAsync();

    /// <summary>Starts it again on the same port, with the same data.</summary>
    public Task StartAsync() => Server.StartAgainAsync();

    public ValueTask DisposeAsync()
    {
        Server.Cleanup();
        return ValueTask.CompletedTask;
    }
}

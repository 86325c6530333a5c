using Npgsql;

namespace Plant.Core.Agents;

/// <summary>
/// A batch on a pooled connection of its own, run as prepared statements. The agent and catalog queries join a
/// dozen tables: PostgreSQL plans them in several milliseconds and runs them in about one, so planning is most of
/// their cost. Prepared, a statement is planned on its first executions on a physical connection and then reuses
/// its generic plan; preparing again on the same physical connection is free (Npgsql keeps prepared statements
/// across pool rentals). A schema change invalidates the plans and PostgreSQL replans them.
/// </summary>
internal sealed class PreparedBatch : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;

    private PreparedBatch(NpgsqlConnection connection)
    {
        _connection = connection;
        Batch = new NpgsqlBatch(connection);
    }

    public NpgsqlBatch Batch { get; }

    public static async Task<PreparedBatch> OpenAsync(NpgsqlDataSource dataSource, CancellationToken ct) =>
        new(await dataSource.OpenConnectionAsync(ct));

    public void Add(NpgsqlBatchCommand command) => Batch.BatchCommands.Add(command);

    public async Task<NpgsqlDataReader> ExecuteReaderAsync(CancellationToken ct)
    {
        await Batch.PrepareAsync(ct);
        return await Batch.ExecuteReaderAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await Batch.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

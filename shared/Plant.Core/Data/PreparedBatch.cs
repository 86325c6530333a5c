using Npgsql;

namespace Plant.Core.Data;

/// <summary>
/// A batch on a pooled connection of its own, run as prepared statements. The agent and catalog queries join a
/// dozen tables: PostgreSQL plans them in several milliseconds and runs them in about one, so planning is most of
/// their cost. Preparing again on the same physical connection is free (Npgsql keeps prepared statements across
/// pool rentals); a schema change invalidates the plans and PostgreSQL replans them.
/// </summary>
/// <remarks>
/// PostgreSQL only reuses a generic plan when it estimates it no dearer than the custom ones, and for these joins
/// it never did: the agent-by-id statement was planned again on every execution (10-30 ms, against 1 ms to run;
/// docs/BENCHMARKS.md, "Agents"). Lookups by id, whose best plan does not depend on the values, therefore ask for
/// the generic plan (<c>genericPlan</c>); the filtered list does not, since its skill filters are planned from
/// each skill's statistics.
/// </remarks>
internal sealed class PreparedBatch : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly bool _genericPlan;

    private PreparedBatch(NpgsqlConnection connection, bool genericPlan)
    {
        _connection = connection;
        _genericPlan = genericPlan;
        Batch = new NpgsqlBatch(connection);
    }

    public NpgsqlBatch Batch { get; }

    public static Task<PreparedBatch> OpenAsync(NpgsqlDataSource dataSource, CancellationToken ct) => OpenAsync(dataSource, genericPlan: false, ct);

    public static async Task<PreparedBatch> OpenAsync(NpgsqlDataSource dataSource, bool genericPlan, CancellationToken ct) =>
        new(await dataSource.OpenConnectionAsync(ct), genericPlan);

    public void Add(NpgsqlBatchCommand command) => Batch.BatchCommands.Add(command);

    /// <remarks>
    /// A generic-plan batch is wrapped in <c>set plan_cache_mode</c> and <c>reset plan_cache_mode</c>, sent in the same
    /// round trip: the setting is the session's, and the next renter of this pooled connection must not inherit it.
    /// The batch runs as one implicit transaction, so if a statement fails, the rollback undoes the <c>set</c> too.
    /// Neither statement returns rows, so the reader's first result is still the first added command's.
    /// </remarks>
    public async Task<NpgsqlDataReader> ExecuteReaderAsync(CancellationToken ct)
    {
        if (_genericPlan)
        {
            Batch.BatchCommands.Insert(0, new NpgsqlBatchCommand("set plan_cache_mode = force_generic_plan"));
            Batch.BatchCommands.Add(new NpgsqlBatchCommand("reset plan_cache_mode"));
        }

        await Batch.PrepareAsync(ct);
        return await Batch.ExecuteReaderAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await Batch.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

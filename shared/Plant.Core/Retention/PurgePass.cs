using Npgsql;

namespace Plant.Core.Retention;

/// <summary>Rows removed (or, in a dry run, that would be) per table, by schema-qualified name.</summary>
internal sealed class TableCounts
{
    private readonly SortedDictionary<string, long> _rows = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> Rows => _rows;

    public long Total => _rows.Values.Sum();

    public void Add(string table, long rows)
    {
        _rows[table] = _rows.GetValueOrDefault(table) + rows;
    }

    public void Add(TableCounts other)
    {
        foreach (var (table, rows) in other._rows)
        {
            Add(table, rows);
        }
    }
}

/// <summary>What one batch did.</summary>
/// <param name="Selected">Rows the batch selected (and locked) to remove; the batch sizer measures against it.</param>
/// <param name="Deleted">What it removed, per table.</param>
/// <param name="Done">Nothing more to remove in this run.</param>
internal sealed record BatchResult(int Selected, TableCounts Deleted, bool Done);

/// <summary>
/// One kind of expired data. Each batch is self-contained: it selects a limited number of expired rows with
/// <c>FOR UPDATE SKIP LOCKED</c> (rows a user transaction holds are left for the next run rather than waited for),
/// removes them and everything that belongs to them, and commits. A run killed between batches leaves nothing
/// half-done, and the next run simply finds what is left: progress needs no state of its own.
/// </summary>
internal abstract class PurgePass
{
    /// <summary>The step's name in the report.</summary>
    public abstract string Name { get; }

    /// <summary>Rows older than this go; null: this kind is kept (no retention set).</summary>
    public abstract DateTimeOffset? Cutoff { get; }

    /// <summary>The tables this pass removes rows from; the pass is skipped when the first is absent.</summary>
    public abstract IReadOnlyList<string> Tables { get; }

    /// <summary>Rows to select in the first batch, before the sizer has measured anything.</summary>
    public virtual int InitialBatchSize => 1000;

    /// <summary>The most rows one batch may select.</summary>
    public virtual int MaximumBatchSize => 50_000;

    /// <summary>
    /// This pass as <paramref name="count"/> passes over disjoint rows that may run at once, each on a connection of
    /// its own; a pass whose batches must run one after another returns itself alone.
    /// </summary>
    public virtual IReadOnlyList<PurgePass> Split(int count) => [this];

    /// <summary>What a run would remove now, per table (dry run).</summary>
    public abstract Task<TableCounts> CountAsync(NpgsqlConnection connection, CancellationToken ct);

    /// <summary>Removes one batch of at most <paramref name="limit"/> rows inside <paramref name="transaction"/>.</summary>
    public abstract Task<BatchResult> DeleteBatchAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int limit, CancellationToken ct);

    protected static async Task<long> CountAsync(NpgsqlConnection connection, string sql, DateTimeOffset cutoff, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("cutoff", cutoff);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}

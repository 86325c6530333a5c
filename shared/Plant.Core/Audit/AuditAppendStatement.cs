using Npgsql;
using NpgsqlTypes;

namespace Plant.Core.Audit;

/// <summary>
/// Appends entries to the chain: the advisory lock, then one statement per entry, all in one round trip. The
/// caller's transaction (or, without one, the batch's own implicit transaction) holds the lock until it ends.
/// </summary>
internal static class AuditAppendStatement
{
    // Appends queue on an advisory lock taken by a statement of its own: a waiter holds no snapshot and no pin on
    // the head's page, and each append statement takes its snapshot after the lock, so it reads the hash its
    // predecessor committed (or, within one batch, the one the statement before it wrote). Queuing on the head row
    // itself (FOR UPDATE) kept sixteen waiters pinning its page, so PostgreSQL could not prune the row's old
    // versions: they spread over dozens of pages that every append scanned, and the rate sank as a run went on
    // (docs/BENCHMARKS.md). FOR UPDATE stays as a second guard.
    private const string LockSql = "select pg_advisory_xact_lock(@key)";

    // The entry's canonical JSON ends with its sequence, the one member only known under the lock ("sequence" sorts
    // after every other member name), so the database finishes the bytes and hashes them in the same statement.
    private const string AppendSql = """
        with head as (
            select sequence + 1 as next, hash as prev from genesis.audit_head for update
        ), entry as (
            insert into genesis.audit_entry (canonical, prev_hash, hash)
            select c.canonical, head.prev, sha256(head.prev || c.canonical)
            from head, lateral (select @prefix || convert_to(head.next::text || '}', 'UTF8') as canonical) c
            returning sequence, hash
        )
        update genesis.audit_head set sequence = entry.sequence, hash = entry.hash
        from entry
        returning entry.sequence, entry.hash
        """;

    /// <summary>Appends one entry per canonical prefix, in order; returns each one's sequence and hash.</summary>
    public static async Task<(long Sequence, byte[] Hash)[]> ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<byte[]> prefixes, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(LockSql) { Parameters = { new NpgsqlParameter<long>("key", AuditTrail.AppendLockKey) } });
        foreach (var prefix in prefixes)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(AppendSql)
            {
                Parameters = { new NpgsqlParameter<byte[]>("prefix", NpgsqlDbType.Bytea) { TypedValue = prefix } },
            });
        }

        // Prepared once per physical connection: planning would otherwise happen while the lock is held.
        await batch.PrepareAsync(ct);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var appended = new (long, byte[])[prefixes.Count];
        for (var i = 0; i < appended.Length; i++)
        {
            await reader.NextResultAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                // The head row is created by V0003 and no one may delete it.
                throw new AuditException("genesis.audit_head has no row: the audit schema is damaged.");
            }

            appended[i] = (reader.GetInt64(0), reader.GetFieldValue<byte[]>(1));
        }

        return appended;
    }
}

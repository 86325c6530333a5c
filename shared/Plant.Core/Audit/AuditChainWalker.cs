using System.Collections.Concurrent;
using System.Data;
using System.Globalization;
using System.Security.Cryptography;
using System.Threading.Channels;
using Dapper;
using Npgsql;
using Plant.Core.Signing;

namespace Plant.Core.Audit;

/// <summary>
/// One pass over the chain in sequence order, in one read-only snapshot: checks that sequences follow on,
/// each stored previous hash is the hash before it, each hash is SHA-256(previous hash || canonical JSON), every
/// checkpoint is signed and lies on the chain, every head Plant signed is still on it, and the head row agrees with
/// the last entry. Rows stream through a few reused batches; nothing is kept per entry.
/// </summary>
internal sealed class AuditChainWalker(NpgsqlDataSource dataSource, SigningKeyRing keys)
{
    private const int HashSize = SHA256.HashSizeInBytes;

    private long? _brokenAt;
    private string? _problem;

    /// <summary>
    /// What the walk found; <c>Hashes</c> is the chain's hash at each head Plant signed and at the sequence asked for,
    /// where the walk established it: from the entry, verified, or from the signed checkpoint there once it was cut.
    /// <c>RecordsHeads</c> is false on a schema below V0010, which has no table for them.
    /// </summary>
    public sealed record Result(
        long Entries, long? BrokenAt, string? Problem, AuditHead Head, AuditCheckpoint? StartCheckpoint, IReadOnlyDictionary<long, string> Hashes, bool RecordsHeads);

    /// <param name="through">Stop after this sequence (a checkpoint's walk); null walks everything and checks the head row.</param>
    /// <param name="hashAt">A sequence whose hash the result should give (a kept head's), besides the signed heads'.</param>
    /// <param name="ct">Cancels the walk.</param>
    public async Task<Result> WalkAsync(long? through, long? hashAt, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // One snapshot for the checkpoints, the head and the entries, so that a concurrent append or cut is
        // either wholly seen or not at all.
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await connection.ExecuteAsync("set transaction read only", new { ct }, transaction);

        var checkpoints = await ReadCheckpointsAsync(connection, transaction, ct);
        var signedHeads = await ReadSignedHeadsAsync(connection, transaction, through, ct);
        var (headSequence, headHash) = await ReadHeadAsync(connection, transaction, ct);
        foreach (var checkpoint in checkpoints.Values)
        {
            var check = checkpoint.Check(keys);
            if (check != SignatureCheck.Valid && (through is null || checkpoint.Sequence <= through))
            {
                Broken(checkpoint.Sequence, $"the checkpoint at {checkpoint.Sequence} does not verify: {Describe(check, checkpoint.KeyId)}");
            }
        }

        // COPY takes no parameters; the bound is a number formatted here, not text from outside.
        var copyCommand = string.Create(
            CultureInfo.InvariantCulture,
            $"copy (select sequence, prev_hash, hash, canonical from genesis.audit_entry where sequence <= {through ?? long.MaxValue} order by sequence) to stdout (format binary)");

        // Reading rows and hashing them take about as long as each other, so they run side by side: this task
        // parses rows into batches, a second one checks them in order. Batches are reused, so memory stays flat.
        var full = Channel.CreateBounded<EntryBatch>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        var spare = new ConcurrentQueue<EntryBatch>();
        var hashes = new Dictionary<long, string>();
        var wanted = (signedHeads?.Keys ?? []).Append(hashAt ?? 0).Where(s => s > 0).ToHashSet();
        var verifier = new ChainVerifier(checkpoints, wanted, hashes, this);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var verifying = Task.Run(
            async () =>
            {
                try
                {
                    await verifier.RunAsync(full.Reader, spare, stop.Token);
                }
                catch
                {
                    await stop.CancelAsync(); // so that the reader does not wait on a full channel forever
                    throw;
                }
            },
            CancellationToken.None);
        try
        {
            await using var copy = await connection.BeginRawBinaryCopyAsync(copyCommand, stop.Token);
            var rows = new AuditCopyReader(copy);
            await rows.ReadHeaderAsync(stop.Token);
            var batch = new EntryBatch();
            while (await rows.ReadAsync(stop.Token))
            {
                batch.Add(rows);
                if (batch.IsFull)
                {
                    await full.Writer.WriteAsync(batch, stop.Token);
                    batch = spare.TryDequeue(out var reused) ? reused : new EntryBatch();
                }
            }

            if (batch.Count > 0)
            {
                await full.Writer.WriteAsync(batch, stop.Token);
            }

            full.Writer.Complete();
        }
        catch (Exception e) when (!verifying.IsFaulted)
        {
            full.Writer.TryComplete(e);
            await verifying.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }
        catch (OperationCanceledException)
        {
            // The verifier failed and stopped the reading: its exception is the one to report, below.
        }

        await verifying;
        await CheckDerivedColumnsAsync(connection, transaction, through, ct);
        var (entries, lastSequence, lastHash, start) = (verifier.Entries, verifier.LastSequence, Convert.ToHexStringLower(verifier.LastHash), verifier.Start);
        if (entries == 0)
        {
            // Everything may have been cut: then the chain ends at the newest checkpoint.
            start = checkpoints.Count > 0 ? checkpoints.Values[^1] : null;
            (lastSequence, lastHash) = start is null ? (0, AuditTrail.GenesisHash) : (start.Sequence, start.Hash);
        }

        // Entries cut by the retention purge: a signed checkpoint keeps the hash at each signed head it cut.
        foreach (var sequence in wanted.Where(s => s <= (start?.Sequence ?? 0) && checkpoints.ContainsKey(s)))
        {
            hashes[sequence] = checkpoints[sequence].Hash;
        }

        CheckSignedHeads(signedHeads, hashes, lastSequence);
        if (through is null && _brokenAt is null)
        {
            CheckHead(lastSequence, lastHash, headSequence, headHash);
            if (checkpoints.Count > 0 && checkpoints.Keys[^1] > lastSequence)
            {
                Broken(lastSequence + 1, $"a checkpoint at {checkpoints.Keys[^1]} lies beyond the last entry {lastSequence}");
            }
        }

        return new Result(entries, _brokenAt, _problem, new AuditHead(lastSequence, lastHash), start, hashes, signedHeads is not null);
    }

    /// <summary>
    /// A head Plant signed must still be on the chain: the same hash at its sequence, and the chain must reach it.
    /// Otherwise the chain was rewritten, or its last entries were removed and the head row rewound, since.
    /// </summary>
    private void CheckSignedHeads(SortedList<long, (string Hash, DateTimeOffset SignedAt)>? signedHeads, Dictionary<long, string> hashes, long lastSequence)
    {
        foreach (var (sequence, (hash, signedAt)) in signedHeads ?? [])
        {
            var when = AuditSignatures.FormatTime(signedAt);
            if (hashes.TryGetValue(sequence, out var onChain))
            {
                if (!string.Equals(onChain, hash, StringComparison.Ordinal))
                {
                    Broken(sequence, $"the chain's hash at {sequence} is not the one Plant signed as its head at {when}: the chain was rewritten");
                }
            }
            else if (sequence > lastSequence && !IsBroken)
            {
                Broken(lastSequence + 1, $"Plant signed a head at {sequence} at {when}, but the chain ends at {lastSequence}: entries were removed");
            }
        }
    }

    /// <summary>
    /// The query columns (sequence, occurred_at, actor, action, entity_id, details) are derived from the canonical text
    /// by V0009's insert trigger, but the hash covers only the text: a superuser who turns the trigger off can make them
    /// say something else, and queries by actor would answer with it. So each is derived again here, as the trigger
    /// does, and compared, for the entries the hashes have shown to be as appended (those before any break).
    /// </summary>
    private async Task CheckDerivedColumnsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long? through, CancellationToken ct)
    {
        const string Sql = """
            select e.sequence, array_to_string(d.differ, ', ') as differ
            from genesis.audit_entry e
            cross join lateral (select convert_from(e.canonical, 'UTF8')::jsonb as entry) c
            cross join lateral (select array_remove(array[
                case when e.sequence is distinct from (c.entry ->> 'sequence')::bigint then 'sequence' end,
                case when e.occurred_at is distinct from (c.entry ->> 'occurredAt')::timestamptz then 'occurred_at' end,
                case when e.actor is distinct from c.entry ->> 'actor' then 'actor' end,
                case when e.action is distinct from c.entry ->> 'action' then 'action' end,
                case when e.entity_id is distinct from (c.entry ->> 'entityId')::uuid then 'entity_id' end,
                case when e.details is distinct from c.entry -> 'details' then 'details' end], null) as differ) d
            where e.sequence < @before and cardinality(d.differ) > 0
            order by e.sequence
            limit 1
            """;
        var before = Math.Min(_brokenAt ?? long.MaxValue, through is { } last ? last + 1 : long.MaxValue);
        try
        {
            if (await connection.QueryFirstOrDefaultAsync<Differing>(Sql, new { before, ct }, transaction) is { } differing)
            {
                Broken(differing.Sequence, $"entry {differing.Sequence}'s stored {differing.Differ} differ from its canonical text, which its hash covers");
            }
        }
        catch (PostgresException e) when (e.SqlState.StartsWith("22", StringComparison.Ordinal))
        {
            // Text that hashes right yet is not JSON was never appended through the trigger: the chain was rewritten.
            Broken(1, $"an entry's canonical text is not the UTF-8 JSON every append writes ({e.SqlState})");
        }
    }

    public static string Describe(SignatureCheck check, string keyId) => check switch
    {
        SignatureCheck.UnknownKey => $"it names key '{keyId}', which no configured key has",
        SignatureCheck.Invalid => $"its signature is not one made by key '{keyId}'",
        _ => "it verifies",
    };

    private void CheckHead(long lastSequence, string lastHash, long headSequence, string headHash)
    {
        if (headSequence > lastSequence)
        {
            Broken(lastSequence + 1, $"entries {lastSequence + 1} to {headSequence} are missing: the head records {headSequence} but the chain ends at {lastSequence}");
        }
        else if (headSequence < lastSequence)
        {
            Broken(headSequence + 1, $"the head records {headSequence} but the chain goes on to {lastSequence}");
        }
        else if (!string.Equals(headHash, lastHash, StringComparison.Ordinal))
        {
            Broken(lastSequence, $"the head's hash at {lastSequence} differs from the chain's");
        }
    }

    private void Broken(long at, string problem)
    {
        // Called by the verifier task too, but never at the same time as here: it runs between the two awaits.
        if (_brokenAt is null || at < _brokenAt)
        {
            (_brokenAt, _problem) = (at, problem);
        }
    }

    private bool IsBroken => _brokenAt is not null;

    /// <summary>
    /// Checks entries in sequence order: each follows on from the one before (or from 32 zero bytes, or from the
    /// checkpoint the chain was cut at), links to its stored hash, and hashes to its own stored hash. With every
    /// link checked against the stored hash before it, the hashes of different entries do not depend on one
    /// another's computation.
    /// </summary>
    private sealed class ChainVerifier(SortedList<long, AuditCheckpoint> checkpoints, HashSet<long> wanted, Dictionary<long, string> hashes, AuditChainWalker walker)
    {
        private long _expected;

        public long Entries { get; private set; }

        public long LastSequence { get; private set; }

        /// <summary>The hash of the last entry that verified; 32 zero bytes before the first.</summary>
        public byte[] LastHash { get; } = new byte[HashSize];

        public AuditCheckpoint? Start { get; private set; }

        public async Task RunAsync(ChannelReader<EntryBatch> batches, ConcurrentQueue<EntryBatch> spare, CancellationToken ct)
        {
            await foreach (var batch in batches.ReadAllAsync(ct))
            {
                // Each entry's hash covers only its own stored bytes, so a batch is hashed on all cores at once;
                // the checks that need order come after, one entry at a time.
                if (!walker.IsBroken)
                {
                    batch.ComputeHashes();
                }

                for (var i = 0; i < batch.Count; i++)
                {
                    Entries++;
                    if (!walker.IsBroken)
                    {
                        Check(batch, i);
                    }
                }

                batch.Clear();
                spare.Enqueue(batch);
            }
        }

        private void Check(EntryBatch batch, int index)
        {
            var sequence = batch.Sequence(index);
            if (Entries == 1 && !StartAt(sequence))
            {
                return;
            }

            if (sequence != _expected)
            {
                walker.Broken(_expected, $"entry {_expected} is missing (the next entry is {sequence})");
                return;
            }

            // The entry's stored previous hash followed by its canonical bytes: exactly what its hash covers.
            var hashed = batch.Entry(index);
            if (!hashed[..HashSize].SequenceEqual(LastHash))
            {
                walker.Broken(sequence, $"entry {sequence} does not link to the entry before it (its previous hash differs)");
                return;
            }

            var computed = batch.Computed(index);
            if (!batch.Hash(index).SequenceEqual(computed))
            {
                walker.Broken(sequence, $"entry {sequence} was altered (its hash does not match its content)");
                return;
            }

            if (checkpoints.TryGetValue(sequence, out var passed) && !string.Equals(passed.Hash, Convert.ToHexStringLower(computed), StringComparison.Ordinal))
            {
                walker.Broken(sequence, $"the checkpoint at {sequence} records another hash than the chain has there");
                return;
            }

            computed.CopyTo(LastHash);
            if (wanted.Contains(sequence))
            {
                hashes[sequence] = Convert.ToHexStringLower(computed);
            }

            LastSequence = sequence;
            _expected = sequence + 1;
        }

        /// <summary>The chain starts at entry 1 from 32 zero bytes, or just after the checkpoint it was cut at.</summary>
        private bool StartAt(long sequence)
        {
            _expected = sequence;
            if (sequence == 1)
            {
                return true;
            }

            if (checkpoints.TryGetValue(sequence - 1, out var checkpoint))
            {
                Start = checkpoint;
                Convert.FromHexString(checkpoint.Hash).CopyTo(LastHash, 0);
                return true;
            }

            walker.Broken(1, $"the chain starts at {sequence}, and no checkpoint at {sequence - 1} covers the entries before it");
            return false;
        }
    }

    /// <summary>Up to 1,024 entries as read: sequence, stored hash, and the stored previous hash followed by the canonical bytes.</summary>
    private sealed class EntryBatch
    {
        private const int Capacity = 1024;

        private readonly long[] _sequences = new long[Capacity];
        private readonly byte[] _hashes = new byte[Capacity * HashSize];
        // Entry i is _data[_bounds[i].._bounds[i + 1]]: the entries lie one after another.
        private readonly int[] _bounds = new int[Capacity + 1];
        private readonly byte[] _computed = new byte[Capacity * HashSize];
        private byte[] _data = new byte[Capacity * 512];
        private int _length;

        public int Count { get; private set; }

        public bool IsFull => Count == Capacity;

        public long Sequence(int index) => _sequences[index];

        public ReadOnlySpan<byte> Entry(int index) => _data.AsSpan(_bounds[index], _bounds[index + 1] - _bounds[index]);

        public ReadOnlySpan<byte> Hash(int index) => _hashes.AsSpan(index * HashSize, HashSize);

        /// <summary>SHA-256 of <see cref="Entry"/>, after <see cref="ComputeHashes"/>.</summary>
        public ReadOnlySpan<byte> Computed(int index) => _computed.AsSpan(index * HashSize, HashSize);

        public void ComputeHashes()
        {
            var parts = Math.Min(Environment.ProcessorCount, 8);
            var size = (Count + parts - 1) / parts;
            Parallel.For(0, parts, part =>
            {
                var (from, to) = (Math.Min(Count, part * size), Math.Min(Count, (part + 1) * size));
                Sha256Lanes.HashAll(_data, _bounds.AsSpan(from, to - from + 1), _computed.AsSpan(from * HashSize));
            });
        }

        public void Add(AuditCopyReader row)
        {
            var canonical = row.Canonical;
            EnsureRoom(HashSize + canonical.Length);
            _sequences[Count] = row.Sequence;
            row.Hash.CopyTo(_hashes.AsSpan(Count * HashSize));
            row.PreviousHash.CopyTo(_data.AsSpan(_length));
            canonical.CopyTo(_data.AsSpan(_length + HashSize));
            _length += HashSize + canonical.Length;
            _bounds[++Count] = _length;
        }

        private void EnsureRoom(int size)
        {
            if (_data.Length < _length + size)
            {
                Array.Resize(ref _data, Math.Max(_data.Length * 2, _length + size));
            }
        }

        public void Clear() => (Count, _length) = (0, 0);
    }

    private static async Task<SortedList<long, AuditCheckpoint>> ReadCheckpointsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<CheckpointRow>(CheckpointRow.Select + " order by sequence", new { ct }, transaction);
        var checkpoints = new SortedList<long, AuditCheckpoint>();
        foreach (var row in rows)
        {
            checkpoints.Add(row.Sequence, row.ToCheckpoint());
        }

        return checkpoints;
    }

    /// <summary>The heads Plant signed (V0010), up to <paramref name="through"/>; null on a schema below V0010.</summary>
    private static async Task<SortedList<long, (string Hash, DateTimeOffset SignedAt)>?> ReadSignedHeadsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long? through, CancellationToken ct)
    {
        if (!await connection.ExecuteScalarAsync<bool>("select to_regclass('genesis.audit_signed_head') is not null", new { ct }, transaction))
        {
            return null;
        }

        var rows = await connection.QueryAsync<SignedHeadRow>(
            "select sequence, hash, signed_at from genesis.audit_signed_head where sequence <= @through", new { through = through ?? long.MaxValue, ct }, transaction);
        var heads = new SortedList<long, (string, DateTimeOffset)>();
        foreach (var row in rows)
        {
            heads.Add(row.Sequence, (Convert.ToHexStringLower(row.Hash), row.SignedAt));
        }

        return heads;
    }

    private static async Task<(long Sequence, string Hash)> ReadHeadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var head = await connection.QueryFirstOrDefaultAsync<HeadRow>("select sequence, hash from genesis.audit_head", new { ct }, transaction)
            ?? throw new AuditException("genesis.audit_head has no row: the audit schema is damaged.");
        return (head.Sequence, Convert.ToHexStringLower(head.Hash));
    }

    /// <summary>The first entry whose derived columns differ from its canonical text, and which columns.</summary>
    internal sealed record Differing(long Sequence, string Differ);

    internal sealed record SignedHeadRow(long Sequence, byte[] Hash, DateTimeOffset SignedAt);

    internal sealed record HeadRow(long Sequence, byte[] Hash);

    /// <summary>A checkpoint row as stored: the hash as bytes.</summary>
    internal sealed record CheckpointRow(long Sequence, byte[] Hash, DateTimeOffset CreatedAt, string KeyId, string Signature)
    {
        public const string Select = "select sequence, hash, created_at, key_id, signature from genesis.audit_checkpoint";

        public AuditCheckpoint ToCheckpoint() => new(Sequence, Convert.ToHexStringLower(Hash), CreatedAt, KeyId, Signature);
    }
}

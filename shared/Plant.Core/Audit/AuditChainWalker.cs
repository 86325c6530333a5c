using System.Buffers;
using System.Data;
using System.Data.Common;
using System.Security.Cryptography;
using Npgsql;
using Plant.Core.Signing;

namespace Plant.Core.Audit;

/// <summary>
/// One pass over the chain in sequence order, in one read-only snapshot: checks that sequences follow on,
/// each stored previous hash is the hash before it, each hash is SHA-256(previous hash || canonical JSON), every
/// checkpoint is signed and lies on the chain, and the head row agrees with the last entry. Rows stream through
/// one reused buffer; nothing is kept per entry.
/// </summary>
internal sealed class AuditChainWalker(NpgsqlDataSource dataSource, SigningKeyRing keys)
{
    private const int HashSize = SHA256.HashSizeInBytes;

    private long? _brokenAt;
    private string? _problem;

    public sealed record Result(long Entries, long? BrokenAt, string? Problem, AuditHead Head, AuditCheckpoint? StartCheckpoint);

    /// <param name="through">Stop after this sequence (a checkpoint's walk); null walks everything and checks the head row.</param>
    /// <param name="ct">Cancels the walk.</param>
    public async Task<Result> WalkAsync(long? through, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // One snapshot for the checkpoints, the head and the entries, so that a concurrent append or cut is
        // either wholly seen or not at all.
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await using (var readOnly = new NpgsqlCommand("set transaction read only", connection, transaction))
        {
            await readOnly.ExecuteNonQueryAsync(ct);
        }

        var checkpoints = await ReadCheckpointsAsync(connection, transaction, ct);
        var (headSequence, headHash) = await ReadHeadAsync(connection, transaction, ct);
        foreach (var checkpoint in checkpoints.Values)
        {
            var check = checkpoint.Check(keys);
            if (check != SignatureCheck.Valid && (through is null || checkpoint.Sequence <= through))
            {
                Broken(checkpoint.Sequence, $"the checkpoint at {checkpoint.Sequence} does not verify: {Describe(check, checkpoint.KeyId)}");
            }
        }

        await using var command = new NpgsqlCommand(
            """
            select sequence, prev_hash, hash, canonical from genesis.audit_entry
            where sequence <= @through
            order by sequence
            """,
            connection,
            transaction);
        command.Parameters.AddWithValue("through", through ?? long.MaxValue);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);

        // The buffer holds the running hash followed by the entry's canonical bytes: exactly what is hashed.
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        var storedPrevious = new byte[HashSize];
        var storedHash = new byte[HashSize];
        var computed = new byte[HashSize];
        long entries = 0;
        long expected = 0;
        long lastSequence = 0;
        AuditCheckpoint? start = null;
        try
        {
            while (await reader.ReadAsync(ct))
            {
                var sequence = reader.GetInt64(0);
                entries++;
                if (_brokenAt is not null)
                {
                    continue; // only counting from here on
                }

                if (entries == 1)
                {
                    // The chain starts at entry 1 from 32 zero bytes, or just after the checkpoint it was cut at.
                    if (sequence == 1)
                    {
                        buffer.AsSpan(0, HashSize).Clear();
                    }
                    else if (checkpoints.TryGetValue(sequence - 1, out var checkpoint))
                    {
                        start = checkpoint;
                        Convert.FromHexString(checkpoint.Hash, buffer.AsSpan(0, HashSize), out _, out _);
                    }
                    else
                    {
                        Broken(1, $"the chain starts at {sequence}, and no checkpoint at {sequence - 1} covers the entries before it");
                        continue;
                    }

                    expected = sequence;
                }

                if (sequence != expected)
                {
                    Broken(expected, $"entry {expected} is missing (the next entry is {sequence})");
                    continue;
                }

                reader.GetBytes(1, 0, storedPrevious, 0, HashSize);
                reader.GetBytes(2, 0, storedHash, 0, HashSize);
                var length = (int)reader.GetBytes(3, 0, null, 0, 0);
                if (buffer.Length < HashSize + length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    var previous = buffer.AsSpan(0, HashSize).ToArray();
                    buffer = ArrayPool<byte>.Shared.Rent(HashSize + length);
                    previous.CopyTo(buffer, 0);
                }

                reader.GetBytes(3, 0, buffer, HashSize, length);
                if (!storedPrevious.AsSpan().SequenceEqual(buffer.AsSpan(0, HashSize)))
                {
                    Broken(sequence, $"entry {sequence} does not link to the entry before it (its previous hash differs)");
                    continue;
                }

                SHA256.HashData(buffer.AsSpan(0, HashSize + length), computed);
                if (!computed.AsSpan().SequenceEqual(storedHash))
                {
                    Broken(sequence, $"entry {sequence} was altered (its hash does not match its content)");
                    continue;
                }

                if (checkpoints.TryGetValue(sequence, out var passed) && !Convert.FromHexString(passed.Hash).AsSpan().SequenceEqual(computed.AsSpan()))
                {
                    Broken(sequence, $"the checkpoint at {sequence} records another hash than the chain has there");
                    continue;
                }

                computed.CopyTo(buffer, 0);
                lastSequence = sequence;
                expected = sequence + 1;
            }

            var lastHash = Convert.ToHexStringLower(buffer.AsSpan(0, HashSize));
            if (entries == 0)
            {
                // Everything may have been cut: then the chain ends at the newest checkpoint.
                start = checkpoints.Count > 0 ? checkpoints.Values[^1] : null;
                (lastSequence, lastHash) = start is null ? (0, AuditTrail.GenesisHash) : (start.Sequence, start.Hash);
            }

            if (through is null && _brokenAt is null)
            {
                CheckHead(lastSequence, lastHash, headSequence, headHash);
                if (checkpoints.Count > 0 && checkpoints.Keys[^1] > lastSequence)
                {
                    Broken(lastSequence + 1, $"a checkpoint at {checkpoints.Keys[^1]} lies beyond the last entry {lastSequence}");
                }
            }

            return new Result(entries, _brokenAt, _problem, new AuditHead(lastSequence, lastHash), start);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static AuditCheckpoint ReadCheckpoint(DbDataReader reader) => new(
        reader.GetInt64(0),
        Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(1)),
        reader.GetFieldValue<DateTimeOffset>(2),
        reader.GetString(3),
        reader.GetString(4));

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
        if (_brokenAt is null || at < _brokenAt)
        {
            (_brokenAt, _problem) = (at, problem);
        }
    }

    private static async Task<SortedList<long, AuditCheckpoint>> ReadCheckpointsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "select sequence, hash, created_at, key_id, signature from genesis.audit_checkpoint order by sequence", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var checkpoints = new SortedList<long, AuditCheckpoint>();
        while (await reader.ReadAsync(ct))
        {
            var checkpoint = ReadCheckpoint(reader);
            checkpoints.Add(checkpoint.Sequence, checkpoint);
        }

        return checkpoints;
    }

    private static async Task<(long Sequence, string Hash)> ReadHeadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("select sequence, hash from genesis.audit_head", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? (reader.GetInt64(0), Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(1)))
            : throw new AuditException("genesis.audit_head has no row: the audit schema is damaged.");
    }
}

using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;
using Plant.Core.Canonical;
using Plant.Core.Data;
using Plant.Core.Signing;

namespace Plant.Core.Audit;

/// <summary>
/// The Genesis audit trail (schema <c>genesis</c>, migration V0003, docs/AUDIT.md): an append-only, hash-chained
/// table. Each entry's hash is SHA-256 over the previous entry's hash and the entry's canonical JSON, so changing,
/// removing or reordering any entry breaks every hash after it. Register one per process.
/// </summary>
public sealed class AuditTrail
{
    /// <summary>The transaction-level advisory lock appends queue on: the single-bigint key "plntaudt".</summary>
    public const long AppendLockKey = 0x706C6E74_61756474;

    private readonly NpgsqlDataSource _dataSource;
    private readonly AuditGroupCommit _groupCommit;
    private readonly SigningKeyRing _keys;
    private readonly ILogger<AuditTrail> _logger;
    private readonly TimeProvider _time;

    /// <param name="dataSource">The process's data source.</param>
    /// <param name="keys">Signs heads and checkpoints, verifies checkpoints.</param>
    /// <param name="logger">Every verification and checkpoint logs the signed head.</param>
    /// <param name="time">The clock for entry and signature times; the system clock when null.</param>
    public AuditTrail(NpgsqlDataSource dataSource, SigningKeyRing keys, ILogger<AuditTrail> logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(logger);
        _dataSource = dataSource;
        _groupCommit = new AuditGroupCommit(dataSource);
        _keys = keys;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Appends an entry inside the caller's transaction, so that it commits (or rolls back) with the change it
    /// records. It locks the chain's head until that transaction ends: call it as the last statement before
    /// <c>CommitAsync</c>. Use READ COMMITTED (the default); under REPEATABLE READ or SERIALIZABLE a concurrent
    /// append makes this one fail with a serialization error, to be retried with the whole transaction.
    /// </summary>
    /// <exception cref="ArgumentException">The record is malformed.</exception>
    /// <exception cref="CanonicalJsonException">The details cannot be canonicalised.</exception>
    public Task<AuditEntry> AppendAsync(AuditRecord record, NpgsqlTransaction transaction, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var connection = transaction.Connection ?? throw new ArgumentException("The transaction has already ended.", nameof(transaction));
        return AppendAsync(record, connection, transaction, ct);
    }

    /// <summary>
    /// Appends an entry in a transaction of its own, committed when this returns. Concurrent calls on this instance
    /// are grouped: the entries that arrive while one group is being written go together in the next, in one
    /// transaction. Cancelling gives up the wait, not the entry: once queued, it is appended with its group.
    /// </summary>
    /// <exception cref="ArgumentException">The record is malformed.</exception>
    /// <exception cref="CanonicalJsonException">The details cannot be canonicalised.</exception>
    public async Task<AuditEntry> AppendAsync(AuditRecord record, CancellationToken ct)
    {
        var (prefix, occurredAt) = Prepare(record);
        var (sequence, hash) = await _groupCommit.AppendAsync(prefix, ct);
        return new AuditEntry(sequence, occurredAt, Convert.ToHexStringLower(hash));
    }

    /// <summary>Walks the whole chain and signs its head, as <see cref="VerifyAsync(SignedAuditHead?, CancellationToken)"/> does without a kept head.</summary>
    public Task<AuditVerification> VerifyAsync(CancellationToken ct) => VerifyAsync(kept: null, ct);

    /// <summary>
    /// Walks the whole chain, streaming, and signs its head; an intact chain's head is also recorded (V0010), so that
    /// later walks check the chain still has it. Logs the signed head (a warning when broken): keep those lines, or
    /// the returned <see cref="AuditVerification.SignedHead"/>, outside the database.
    /// </summary>
    /// <param name="kept">A head signed earlier, kept outside the database: the result says whether the chain extends it.</param>
    /// <param name="ct">Cancels the walk.</param>
    public async Task<AuditVerification> VerifyAsync(SignedAuditHead? kept, CancellationToken ct)
    {
        var result = await new AuditChainWalker(_dataSource, _keys).WalkAsync(through: null, hashAt: kept?.Sequence, ct);
        var signedHead = SignHead(result.Head);
        if (result.BrokenAt is null && signedHead.Sequence > 0 && result.RecordsHeads)
        {
            await RecordSignedHeadAsync(signedHead, ct);
        }

        var verification = new AuditVerification
        {
            Intact = result.BrokenAt is null,
            Entries = result.Entries,
            BrokenAt = result.BrokenAt,
            Problem = result.Problem,
            Head = result.Head,
            SignedHead = signedHead,
            StartCheckpoint = result.StartCheckpoint,
            KeptHead = kept is null ? null : Compare(kept, result),
        };
        if (verification.Intact)
        {
            _logger.LogInformation(
                "Audit chain intact: {Entries} entries; signed head {Sequence} {Hash} at {SignedAt:O} by key {KeyId}: {Signature}",
                verification.Entries, signedHead.Sequence, signedHead.Hash, signedHead.SignedAt, signedHead.KeyId, signedHead.Signature);
        }
        else
        {
            _logger.LogWarning(
                "Audit chain BROKEN at {BrokenAt}: {Problem}; {Entries} entries; signed head {Sequence} {Hash} at {SignedAt:O} by key {KeyId}: {Signature}",
                verification.BrokenAt, verification.Problem, verification.Entries, signedHead.Sequence, signedHead.Hash, signedHead.SignedAt, signedHead.KeyId, signedHead.Signature);
        }

        return verification;
    }

    /// <summary>Whether the walked chain extends <paramref name="kept"/>: its signature verifies, and the intact chain has its hash at its sequence.</summary>
    private AuditConsistency Compare(SignedAuditHead kept, AuditChainWalker.Result walk)
    {
        var signature = kept.Check(_keys);
        var problem =
            signature != SignatureCheck.Valid ? $"the kept head's signature does not verify: {AuditChainWalker.Describe(signature, kept.KeyId)}"
            : walk.BrokenAt is { } broken ? $"the chain is broken at {broken}"
            : kept.Sequence == 0 ? (kept.Hash == GenesisHash ? null : "a head at 0 is the empty chain's, whose hash is 64 zeros")
            : kept.Sequence > walk.Head.Sequence ? $"the chain ends at {walk.Head.Sequence}, before the kept head at {kept.Sequence}: entries were removed"
            : !walk.Hashes.TryGetValue(kept.Sequence, out var hash) ? $"entry {kept.Sequence} was cut by the retention purge, and no checkpoint keeps its hash"
            : hash != kept.Hash ? $"the chain's hash at {kept.Sequence} is not the kept head's: the chain was rewritten since"
            : null;
        return new AuditConsistency(new AuditHead(kept.Sequence, kept.Hash), problem is null, problem);
    }

    /// <summary>The first signing of each head is kept: the hash at that sequence is what later walks hold the chain to.</summary>
    private async Task RecordSignedHeadAsync(SignedAuditHead head, CancellationToken ct)
    {
        const string Sql = """
            insert into genesis.audit_signed_head (sequence, hash, signed_at) values (@sequence, @hash, @signedAt)
            on conflict (sequence) do nothing
            """;
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(Sql, new { sequence = head.Sequence, hash = new PgBytes(Convert.FromHexString(head.Hash)), signedAt = head.SignedAt, ct });
    }

    /// <summary>
    /// Verifies the chain up to <paramref name="sequence"/> (the head when null) and stores a signed checkpoint
    /// there, which the retention purge may then cut up to (<see cref="CutAsync"/>); also one at each head Plant
    /// signed on the way, so that a head kept outside can still be checked once its entry is cut. Logs each
    /// checkpoint. Checkpointing a sequence that already has one returns the stored checkpoint.
    /// </summary>
    /// <exception cref="AuditException">The chain up to there does not verify, there is no such entry, or it was already cut.</exception>
    public async Task<AuditCheckpoint> CheckpointAsync(long? sequence, CancellationToken ct)
    {
        if (sequence is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(sequence), sequence, "A checkpoint is at sequence 1 or later.");
        }

        var walk = await new AuditChainWalker(_dataSource, _keys).WalkAsync(sequence, hashAt: null, ct);
        if (walk.BrokenAt is not null)
        {
            throw new AuditException($"No checkpoint over a broken chain: broken at {walk.BrokenAt}: {walk.Problem}");
        }

        if (walk.Head.Sequence == 0 || (sequence is not null && walk.Head.Sequence != sequence))
        {
            throw new AuditException(sequence is null
                ? "The audit chain is empty: there is nothing to checkpoint."
                : $"There is no audit entry {sequence} to checkpoint (the chain's last verified entry is {walk.Head.Sequence}).");
        }

        foreach (var (signed, hash) in walk.Hashes.Where(h => h.Key < walk.Head.Sequence).OrderBy(h => h.Key))
        {
            await StoreCheckpointAsync(new AuditHead(signed, hash), ct);
        }

        return await StoreCheckpointAsync(walk.Head, ct);
    }

    /// <summary>Signs and stores a checkpoint at a verified position, or returns the one stored there already.</summary>
    private async Task<AuditCheckpoint> StoreCheckpointAsync(AuditHead verified, CancellationToken ct)
    {
        var createdAt = AuditSignatures.ToMicroseconds(_time.GetUtcNow());
        var unsigned = new AuditCheckpoint(verified.Sequence, verified.Hash, createdAt, _keys.ActiveKeyId, "");
        var checkpoint = unsigned with { Signature = _keys.Sign(unsigned.SignedBytes()).Value };

        const string Sql = """
            insert into genesis.audit_checkpoint (sequence, hash, key_id, signature, created_at)
            values (@sequence, @hash, @keyId, @signature, @createdAt)
            on conflict (sequence) do nothing
            """;
        var args = new
        {
            sequence = checkpoint.Sequence,
            hash = new PgBytes(Convert.FromHexString(checkpoint.Hash)),
            keyId = checkpoint.KeyId,
            signature = checkpoint.Signature,
            createdAt = checkpoint.CreatedAt,
            ct,
        };
        int inserted;
        await using (var connection = await _dataSource.OpenConnectionAsync(ct))
        {
            inserted = await connection.ExecuteAsync(Sql, args);
        }

        if (inserted == 0)
        {
            return await ReadCheckpointAsync(checkpoint.Sequence, ct)
                ?? throw new AuditException($"The checkpoint at {checkpoint.Sequence} exists and could not be read.");
        }

        _logger.LogInformation(
            "Audit checkpoint at {Sequence} {Hash} at {CreatedAt:O} by key {KeyId}: {Signature}",
            checkpoint.Sequence, checkpoint.Hash, checkpoint.CreatedAt, checkpoint.KeyId, checkpoint.Signature);
        return checkpoint;
    }

    /// <summary>
    /// Removes the entries up to and including <paramref name="sequence"/>, which must carry a stored checkpoint
    /// with a valid signature (<see cref="CheckpointAsync"/>). This goes through <c>genesis.audit_cut</c>, the only
    /// path that may delete audit entries. Returns how many were removed.
    /// </summary>
    /// <exception cref="AuditException">No checkpoint there, or its signature does not verify.</exception>
    public async Task<long> CutAsync(long sequence, CancellationToken ct)
    {
        var checkpoint = await ReadCheckpointAsync(sequence, ct)
            ?? throw new AuditException($"There is no checkpoint at sequence {sequence}: create one with CheckpointAsync first.");
        var check = checkpoint.Check(_keys);
        if (check != SignatureCheck.Valid)
        {
            throw new AuditException($"The checkpoint at sequence {sequence} does not verify ({AuditChainWalker.Describe(check, checkpoint.KeyId)}); nothing was cut.");
        }

        long removed;
        await using (var connection = await _dataSource.OpenConnectionAsync(ct))
        {
            removed = await connection.ExecuteScalarAsync<long>("select genesis.audit_cut(@sequence)", new { sequence, ct });
        }

        _logger.LogInformation("Audit chain cut at checkpoint {Sequence} {Hash}: {Removed} entries removed", sequence, checkpoint.Hash, removed);
        return removed;
    }

    /// <summary>The entry's canonical JSON without its sequence: everything up to and including <c>"sequence":</c>.</summary>
    internal static byte[] CanonicalPrefix(AuditRecord record, DateTimeOffset occurredAt)
    {
        using var writer = new CanonicalJsonWriter(512);
        writer.WriteStartObject();
        writer.WriteString("action", record.Action);
        writer.WriteString("actor", record.Actor);
        writer.WritePropertyName("details");
        if (record.Details is { ValueKind: JsonValueKind.Object } details)
        {
            writer.WriteValue(details);
        }
        else
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
        }

        if (record.EntityId is { } entityId)
        {
            writer.WriteString("entityId", entityId.ToString("D"));
        }
        else
        {
            writer.WriteNull("entityId");
        }

        writer.WriteString("occurredAt", AuditSignatures.FormatTime(occurredAt));
        writer.WriteEndObject();
        var canonical = writer.WrittenSpan;
        return [.. canonical[..^1], .. ",\"sequence\":"u8];
    }

    private async Task<AuditEntry> AppendAsync(AuditRecord record, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var (prefix, occurredAt) = Prepare(record);
        var appended = await AuditAppendStatement.ExecuteAsync(connection, transaction, [prefix], ct);
        return new AuditEntry(appended[0].Sequence, occurredAt, Convert.ToHexStringLower(appended[0].Hash));
    }

    /// <summary>Checks the record and writes its canonical JSON up to the sequence, stamped with the time now.</summary>
    private (byte[] Prefix, DateTimeOffset OccurredAt) Prepare(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        record.Validate();
        var occurredAt = AuditSignatures.ToMicroseconds(_time.GetUtcNow());
        return (CanonicalPrefix(record, occurredAt), occurredAt);
    }

    private SignedAuditHead SignHead(AuditHead head)
    {
        var unsigned = new SignedAuditHead(head.Sequence, head.Hash, AuditSignatures.ToMicroseconds(_time.GetUtcNow()), _keys.ActiveKeyId, "");
        return unsigned with { Signature = _keys.Sign(unsigned.SignedBytes()).Value };
    }

    private async Task<AuditCheckpoint?> ReadCheckpointAsync(long sequence, CancellationToken ct)
    {
        const string Sql = AuditChainWalker.CheckpointRow.Select + " where sequence = @sequence";
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        var row = await connection.QueryFirstOrDefaultAsync<AuditChainWalker.CheckpointRow>(Sql, new { sequence, ct });
        return row?.ToCheckpoint();
    }

    /// <summary>64 zeros: the previous hash of entry 1.</summary>
    internal static readonly string GenesisHash = new('0', SHA256.HashSizeInBytes * 2);
}

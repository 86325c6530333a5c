using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Npgsql;
using NpgsqlTypes;
using Plant.Core.Audit;
using Plant.Core.Catalog;
using Plant.Core.Constitution;
using Plant.Core.Signing;

namespace Plant.Core.Genesis;

/// <summary>How a certification ended.</summary>
public enum CertifyOutcome
{
    /// <summary>The version passed and a certificate was issued now.</summary>
    Issued,

    /// <summary>The version was certified before: its certificate is returned, nothing is written.</summary>
    AlreadyCertified,

    /// <summary>The version breaks the constitution: it is marked rejected with every violation.</summary>
    Rejected,

    /// <summary>The stored version no longer hashes to its recorded content hash: it was changed outside Genesis and is not certified.</summary>
    Tampered,

    /// <summary>No entity of that type has that id.</summary>
    NotFound,

    /// <summary>The If-Match version is not the current version.</summary>
    PreconditionFailed,

    /// <summary>The entity is retired.</summary>
    Conflict,
}

/// <summary>What a certification did.</summary>
public sealed record CertifyResult(CertifyOutcome Outcome)
{
    /// <summary>The entity's current version after the certification.</summary>
    public EntityVersion? Entity { get; init; }

    /// <summary>The certificate (Issued, AlreadyCertified).</summary>
    public Certificate? Certificate { get; init; }

    /// <summary>The constitution's report (Issued, Rejected); warnings may accompany an issued certificate.</summary>
    public ValidationReport? Report { get; init; }

    /// <summary>Why Tampered or Conflict, in words.</summary>
    public string? Detail { get; init; }
}

/// <summary>
/// Certifies the current version of an entity: runs the constitution (L0 and L1, facts read from the database in
/// the same transaction), and on success signs a <see cref="Certificate"/> over that exact version and stores it;
/// on failure marks the version rejected with every violation. Both outcomes are audited. One certificate per
/// version: certifying it again returns the stored one, and concurrent certifications queue on the entity's
/// lock, so the second finds the first's certificate (the unique version_id of catalog.certificate backs this up).
/// </summary>
public sealed class Certifier
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly SigningKeyRing _keys;
    private readonly AuditTrail _audit;
    private readonly TimeProvider _time;

    /// <param name="dataSource">The catalog database.</param>
    /// <param name="keys">Signs certificates with the active key.</param>
    /// <param name="audit">Records both outcomes.</param>
    /// <param name="time">The clock of issue times; the system clock when null.</param>
    public Certifier(NpgsqlDataSource dataSource, SigningKeyRing keys, AuditTrail audit, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(audit);
        _dataSource = dataSource;
        _keys = keys;
        _audit = audit;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Certifies the current version of an entity in a transaction of its own.</summary>
    public async Task<CertifyResult> CertifyAsync(EntityType type, Guid entityId, int? ifMatch, string actor, CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var result = await CertifyAsync(transaction, type, entityId, ifMatch, actor, ct);
        if (result.Outcome is CertifyOutcome.Issued or CertifyOutcome.Rejected or CertifyOutcome.Tampered)
        {
            await transaction.CommitAsync(ct);
        }

        return result;
    }

    /// <summary>
    /// Certifies inside the caller's transaction (READ COMMITTED), appending the audit entry there; the caller
    /// commits. Issued, Rejected and Tampered wrote something; the other outcomes wrote nothing.
    /// </summary>
    public async Task<CertifyResult> CertifyAsync(NpgsqlTransaction transaction, EntityType type, Guid entityId, int? ifMatch, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var connection = transaction.Connection!;
        var (current, refusal) = await EntityStore.LockCurrentAsync(transaction, type, entityId, ifMatch, ct);
        if (refusal is not null)
        {
            return new CertifyResult(refusal.Outcome == WriteOutcome.NotFound ? CertifyOutcome.NotFound : CertifyOutcome.PreconditionFailed)
            {
                Entity = refusal.Entity,
            };
        }

        if (current!.Status == LifecycleStatus.Retired)
        {
            return new CertifyResult(CertifyOutcome.Conflict) { Entity = current, Detail = "The entity is retired; a retired entity is never certified." };
        }

        // Checked before an existing certificate is handed back: a certificate must never vouch for rows changed since.
        var recomputed = current.Content.ComputeHash();
        if (recomputed != current.ContentHash)
        {
            var detail = $"Version {current.Version} no longer hashes to its recorded content hash ({current.ContentHash}; its rows now give {recomputed}): it was changed outside Genesis, and is not certified.";
            await AppendAsync(transaction, actor, "entity.certification_failed", current, new HashMismatchDetails("content-hash-mismatch", current.ContentHash, recomputed), GenesisJsonContext.Default.HashMismatchDetails, ct);
            return new CertifyResult(CertifyOutcome.Tampered) { Entity = current, Detail = detail };
        }

        if (current.CertificationStatus == CertificationStatus.Certified
            && await CertificateStore.FindByVersionAsync(connection, transaction, current.VersionId, ct) is { } existing)
        {
            return new CertifyResult(CertifyOutcome.AlreadyCertified) { Entity = current, Certificate = existing };
        }

        var report = await DraftChecker.ValidateAsync(connection, transaction, current.Content.Draft, entityId, ct);
        if (!report.Valid)
        {
            EntityVersion rejected;
            await using (var batch = new NpgsqlBatch(connection, transaction))
            {
                batch.BatchCommands.Add(UpdateVersion(
                    "certification_status = 'rejected', certified_at = now(), certificate_ref = null, violations = @violations",
                    current.VersionId, actor, ViolationsJson.Serialize(report)));
                rejected = await EntityStore.WriteAndReadAsync(batch, type, entityId, ct);
            }

            await AppendAsync(transaction, actor, "entity.certification_failed", current,
                new RejectedDetails("constitution", ViolationsJson.Summary(report)), GenesisJsonContext.Default.RejectedDetails, ct);
            return new CertifyResult(CertifyOutcome.Rejected) { Entity = rejected, Report = report };
        }

        var certificate = Issue(current);
        EntityVersion certified;
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            var insert = EntityStore.Command(
                """
                insert into catalog.certificate (certificate_id, entity_id, version_id, version, content_hash, issued_at, key_id, algorithm, payload, signature)
                values (@id, @entity, @version, @number, @hash, @issuedAt, @keyId, @algorithm, @payload, @signature)
                """,
                ("id", certificate.CertificateId), ("entity", certificate.EntityId), ("version", current.VersionId), ("number", certificate.Version),
                ("hash", certificate.ContentHash), ("issuedAt", certificate.IssuedAt), ("keyId", certificate.KeyId), ("algorithm", Certificate.Algorithm));
            insert.Parameters.Add(new NpgsqlParameter<byte[]>("payload", NpgsqlDbType.Bytea) { TypedValue = certificate.Payload });
            insert.Parameters.Add(new NpgsqlParameter<byte[]>("signature", NpgsqlDbType.Bytea) { TypedValue = Convert.FromBase64String(certificate.Signature) });
            batch.BatchCommands.Add(insert);

            // A draft enters service with its certificate; a suspended entity stays suspended until reinstated.
            var update = UpdateVersion(
                """
                certification_status = 'certified', certified_at = @issuedAt, certificate_ref = @certificate, violations = @violations,
                status = case when status = 'draft' then 'active' else status end,
                activated_at = case when status = 'draft' then @issuedAt else activated_at end
                """,
                current.VersionId, actor, ViolationsJson.Serialize(report));
            update.Parameters.AddWithValue("issuedAt", certificate.IssuedAt);
            update.Parameters.AddWithValue("certificate", certificate.CertificateId.ToString("D"));
            batch.BatchCommands.Add(update);
            certified = await EntityStore.WriteAndReadAsync(batch, type, entityId, ct);
        }

        await AppendAsync(transaction, actor, "entity.certified", current,
            new CertifiedDetails(certificate.CertificateId, certificate.KeyId, Certificate.FormatTime(certificate.IssuedAt), ViolationsJson.Summary(report)),
            GenesisJsonContext.Default.CertifiedDetails, ct);
        return new CertifyResult(CertifyOutcome.Issued) { Entity = certified, Certificate = certificate, Report = report };
    }

    private Certificate Issue(EntityVersion version)
    {
        var id = Guid.CreateVersion7();
        var issuedAt = Certificate.ToMicroseconds(_time.GetUtcNow());
        var payload = Certificate.BuildPayload(id, version.EntityId, version.EntityType, version.Version, version.ContentHash, issuedAt, _keys.ActiveKeyId);
        var signature = _keys.Sign(payload);
        return new Certificate
        {
            CertificateId = id,
            EntityId = version.EntityId,
            EntityType = version.EntityType,
            Version = version.Version,
            ContentHash = version.ContentHash,
            IssuedAt = issuedAt,
            KeyId = signature.KeyId,
            Payload = payload,
            Signature = signature.Value,
        };
    }

    private static NpgsqlBatchCommand UpdateVersion(string set, Guid versionId, string actor, string violations)
    {
        var command = EntityStore.Command(
            $"update catalog.entity_version set {set}, updated_at = now(), updated_by = @actor where version_id = @version",
            ("version", versionId), ("actor", actor));
        command.Parameters.Add(new NpgsqlParameter("violations", NpgsqlDbType.Jsonb) { Value = violations });
        return command;
    }

    private Task<AuditEntry> AppendAsync<TDetails>(NpgsqlTransaction transaction, string actor, string action, EntityVersion version,
        TDetails details, JsonTypeInfo<TDetails> detailsInfo, CancellationToken ct)
    {
        var json = JsonSerializer.SerializeToElement(details, detailsInfo);
        var context = GenesisJsonContext.Default;
        var merged = new Dictionary<string, JsonElement>
        {
            ["entityType"] = JsonSerializer.SerializeToElement(version.EntityType.SchemaName(), context.String),
            ["version"] = JsonSerializer.SerializeToElement(version.Version, context.Int32),
            ["versionId"] = JsonSerializer.SerializeToElement(version.VersionId, context.Guid),
            ["contentHash"] = JsonSerializer.SerializeToElement(version.ContentHash, context.String),
        };
        foreach (var property in json.EnumerateObject())
        {
            merged[property.Name] = property.Value;
        }

        return _audit.AppendAsync(new AuditRecord(actor, action, version.EntityId, JsonSerializer.SerializeToElement(merged, context.DictionaryStringJsonElement)), transaction, ct);
    }

    // What the audit entries of a certification hold besides the version (camelCase, as GenesisJsonContext writes them).
    internal sealed record HashMismatchDetails(string Reason, string RecordedHash, string RecomputedHash);

    internal sealed record RejectedDetails(string Reason, ViolationsJson.ViolationSummary[] Violations);

    internal sealed record CertifiedDetails(Guid CertificateId, string KeyId, string IssuedAt, ViolationsJson.ViolationSummary[] Warnings);
}

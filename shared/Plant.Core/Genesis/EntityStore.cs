using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Plant.Core.Audit;
using Plant.Core.Catalog;
using Plant.Core.Embeddings;

namespace Plant.Core.Genesis;

/// <summary>
/// The catalog's entities as Genesis writes them, append-only (reads are <see cref="EntityReader"/>'s). Creating writes version 1 as a
/// draft; amending writes a new version that supersedes the current one and records its content hash
/// (<c>previous_hash</c>, itself part of the new content hash), moving <c>is_current</c> in the same transaction;
/// lifecycle changes update only the current version's lifecycle columns, which V0001's trigger allows. Every write
/// appends its audit entry in its own transaction, last, so the entry commits with the change it records.
/// </summary>
/// <remarks>
/// Writers of one entity queue on a lock of its <c>catalog.entity</c> row (<c>for no key update</c>, which does not
/// block other transactions' foreign-key checks against it), then read the current version: an amendment or
/// lifecycle change always sees the result of the one before it.
/// </remarks>
public sealed class EntityStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly IEmbedder _embedder;
    private readonly AuditTrail _audit;

    /// <param name="dataSource">The catalog database.</param>
    /// <param name="embedder">Embeds skills' names and descriptions for semantic search (384 dimensions).</param>
    /// <param name="audit">Where every write is recorded.</param>
    public EntityStore(NpgsqlDataSource dataSource, IEmbedder embedder, AuditTrail audit)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(audit);
        if (embedder.Dimensions != Embedders.Dimensions)
        {
            throw new ArgumentException($"The embedder gives {embedder.Dimensions} dimensions; catalog.skill.embedding holds {Embedders.Dimensions}.", nameof(embedder));
        }

        _dataSource = dataSource;
        _embedder = embedder;
        _audit = audit;
    }

    /// <summary>Creates an entity: version 1, a draft, with its constitution report; nothing is written when it cannot be stored.</summary>
    /// <exception cref="EmbedderException">A skill's embedding could not be computed.</exception>
    public async Task<EntityWriteResult> CreateAsync(EntityDraft draft, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var embedding = await EmbedAsync(draft, ct);
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var result = await CreateAsync(transaction, draft, actor, Guid.CreateVersion7(), Guid.CreateVersion7(), embedding, ct);
        await FinishAsync(transaction, result, ct);
        return result;
    }

    /// <summary>
    /// Creates an entity inside the caller's transaction, with the ids given (the seed's are deterministic), and
    /// appends its audit entry there. On <see cref="WriteOutcome.Rejected"/> nothing was written, but the
    /// transaction may be aborted (a name taken concurrently): roll it back.
    /// </summary>
    /// <param name="transaction">The caller's transaction, READ COMMITTED.</param>
    /// <param name="draft">The draft.</param>
    /// <param name="actor">Recorded as created_by and in the audit entry.</param>
    /// <param name="entityId">The new entity's id.</param>
    /// <param name="versionId">Its first version's id.</param>
    /// <param name="embedding">A skill's embedding (<see cref="EmbedAsync"/>); null for other types.</param>
    /// <param name="ct">Cancels the work.</param>
    public async Task<EntityWriteResult> CreateAsync(
        NpgsqlTransaction transaction, EntityDraft draft, string actor, Guid entityId, Guid versionId, float[]? embedding, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(draft);
        var connection = transaction.Connection!;
        var check = await DraftChecker.CheckAsync(connection, transaction, draft, null, ct);
        if (!check.Storable)
        {
            return new EntityWriteResult(WriteOutcome.Rejected) { Check = check };
        }

        var content = new EntityContent(entityId, 1, null, draft);
        EntityVersion created;
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            batch.BatchCommands.Add(Command(
                "insert into catalog.entity (entity_id, entity_type, created_by) values (@id, @type, @actor)",
                ("id", entityId), ("type", draft.EntityType.SchemaName()), ("actor", actor)));
            AddVersion(batch, versionId, content, supersedes: null, LifecycleStatus.Draft, suspendedAt: null, check, embedding, actor);
            var (written, nameTaken) = await TryWriteAsync(batch, draft.EntityType, entityId, ct);
            if (nameTaken is not null)
            {
                return new EntityWriteResult(WriteOutcome.Rejected) { Check = check with { Errors = [nameTaken] } };
            }

            created = written!;
        }

        await _audit.AppendAsync(new AuditRecord(actor, "entity.created", entityId, Details(created, check)), transaction, ct);
        return new EntityWriteResult(WriteOutcome.Written) { Entity = created, Check = check };
    }

    /// <summary>
    /// Amends an entity: a new version superseding the current one. <paramref name="ifMatch"/>, when given, must be
    /// the current version number. A retired entity cannot be amended; a suspended one stays suspended.
    /// </summary>
    /// <exception cref="EmbedderException">A skill's embedding could not be computed.</exception>
    public async Task<EntityWriteResult> AmendAsync(EntityType type, Guid entityId, EntityDraft draft, int? ifMatch, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var embedding = await EmbedAsync(draft, ct);
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var result = await AmendAsync(transaction, type, entityId, draft, ifMatch, actor, Guid.CreateVersion7(), embedding, ct);
        await FinishAsync(transaction, result, ct);
        return result;
    }

    /// <summary>
    /// Amends an entity inside the caller's transaction, with the new version's id given, and appends its audit
    /// entry there. On any outcome but <see cref="WriteOutcome.Written"/>, roll the transaction back.
    /// </summary>
    /// <param name="transaction">The caller's transaction, READ COMMITTED.</param>
    /// <param name="type">The entity's type; the draft must be of it.</param>
    /// <param name="entityId">The entity.</param>
    /// <param name="draft">The new version's draft.</param>
    /// <param name="ifMatch">The version the caller amends, or null for the current one whatever it is.</param>
    /// <param name="actor">Recorded as created_by and in the audit entry.</param>
    /// <param name="versionId">The new version's id.</param>
    /// <param name="embedding">A skill's embedding (<see cref="EmbedAsync"/>); null for other types.</param>
    /// <param name="ct">Cancels the work.</param>
    public async Task<EntityWriteResult> AmendAsync(
        NpgsqlTransaction transaction, EntityType type, Guid entityId, EntityDraft draft, int? ifMatch, string actor, Guid versionId, float[]? embedding,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(draft);
        if (draft.EntityType != type)
        {
            throw new ArgumentException($"A {draft.EntityType.DisplayName()} draft cannot amend a {type.DisplayName()}.", nameof(draft));
        }

        var connection = transaction.Connection!;
        var (current, refusal) = await LockCurrentAsync(transaction, type, entityId, ifMatch, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        if (current!.Status == LifecycleStatus.Retired)
        {
            return new EntityWriteResult(WriteOutcome.Conflict) { Entity = current, Detail = "The entity is retired; a retired entity is never amended." };
        }

        var check = await DraftChecker.CheckAsync(connection, transaction, draft, entityId, ct);
        if (!check.Storable)
        {
            return new EntityWriteResult(WriteOutcome.Rejected) { Entity = current, Check = check };
        }

        var content = new EntityContent(entityId, current.Version + 1, current.ContentHash, draft);
        EntityVersion amended;
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            // The old version stops being current first: the partial unique indexes allow one current version
            // per entity, and one current name per type.
            batch.BatchCommands.Add(Command(
                "update catalog.entity_version set is_current = false, updated_at = now(), updated_by = @actor where version_id = @version",
                ("version", current.VersionId), ("actor", actor)));
            var suspended = current.Status == LifecycleStatus.Suspended;
            AddVersion(batch, versionId, content, current.VersionId, suspended ? LifecycleStatus.Suspended : LifecycleStatus.Draft,
                suspended ? current.SuspendedAt : null, check, embedding, actor);
            var (written, nameTaken) = await TryWriteAsync(batch, type, entityId, ct);
            if (nameTaken is not null)
            {
                return new EntityWriteResult(WriteOutcome.Rejected) { Entity = current, Check = check with { Errors = [nameTaken] } };
            }

            amended = written!;
        }

        await _audit.AppendAsync(new AuditRecord(actor, "entity.amended", entityId, Details(amended, check)), transaction, ct);
        return new EntityWriteResult(WriteOutcome.Written) { Entity = amended, Check = check };
    }

    /// <summary>
    /// Suspends, retires or reinstates an entity: its current version's lifecycle columns change, nothing else.
    /// Asking for the state it is already in changes nothing and records nothing.
    /// </summary>
    public async Task<EntityWriteResult> ChangeLifecycleAsync(EntityType type, Guid entityId, LifecycleChange change, int? ifMatch, string actor, CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var (current, refusal) = await LockCurrentAsync(transaction, type, entityId, ifMatch, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        var (target, conflict) = LifecycleRules.Next(current!, change);
        if (conflict is not null)
        {
            return new EntityWriteResult(WriteOutcome.Conflict) { Entity = current, Detail = conflict };
        }

        if (target == current!.Status)
        {
            return new EntityWriteResult(WriteOutcome.Unchanged) { Entity = current };
        }

        // Each status keeps the time it was entered; the CHECKs of V0001 require it of the status in force.
        var column = target switch
        {
            LifecycleStatus.Suspended => "suspended_at = now()",
            LifecycleStatus.Retired => "retired_at = now()",
            _ => "activated_at = coalesce(activated_at, now())",
        };
        EntityVersion changed;
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            batch.BatchCommands.Add(Command(
                $"update catalog.entity_version set status = @status, {column}, updated_at = now(), updated_by = @actor where version_id = @version",
                ("status", target.SchemaName()), ("actor", actor), ("version", current.VersionId)));
            changed = await WriteAndReadAsync(batch, type, entityId, ct);
        }

        var details = JsonSerializer.SerializeToElement(
            new LifecycleDetails(type.SchemaName(), changed.Version, changed.VersionId, current.Status.SchemaName(), target.SchemaName()),
            GenesisJsonContext.Default.LifecycleDetails);
        await _audit.AppendAsync(new AuditRecord(actor, "entity." + LifecycleRules.Action(change), entityId, details), transaction, ct);
        await transaction.CommitAsync(ct);
        return new EntityWriteResult(WriteOutcome.Written) { Entity = changed };
    }

    /// <summary>The embedding of a skill draft ("name: description", as the seed embeds), computed before any transaction; null for other types.</summary>
    /// <exception cref="EmbedderException">The embedder failed.</exception>
    public async Task<float[]?> EmbedAsync(EntityDraft draft, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return draft is SkillDraft ? (await _embedder.EmbedAsync([$"{draft.Name}: {draft.Description}"], ct))[0] : null;
    }

    /// <summary>
    /// Locks an entity for a write and reads its current version. The refusal is NotFound, or PreconditionFailed
    /// when <paramref name="ifMatch"/> is not the current version.
    /// </summary>
    internal static async Task<(EntityVersion? Current, EntityWriteResult? Refusal)> LockCurrentAsync(
        NpgsqlTransaction transaction, EntityType type, Guid entityId, int? ifMatch, CancellationToken ct)
    {
        // One round trip: the lock, then (a new statement, so a new snapshot that sees what the previous holder of
        // the lock committed) the current version.
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction);
        batch.BatchCommands.Add(Command(
            "select 1 from catalog.entity where entity_id = @id and entity_type = @type for no key update",
            ("id", entityId), ("type", type.SchemaName())));
        batch.BatchCommands.Add(EntityReader.CurrentCommand(type, entityId));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var (counts, current) = await EntityReader.ReadLastAsync(reader, ct);
        if (counts is not [1])
        {
            return (null, new EntityWriteResult(WriteOutcome.NotFound));
        }

        if (current is null)
        {
            throw new InvalidOperationException($"Entity {entityId} has no current version.");
        }

        return ifMatch is { } expected && expected != current.Version
            ? (current, new EntityWriteResult(WriteOutcome.PreconditionFailed) { Entity = current })
            : (current, null);
    }

    private static async Task FinishAsync(NpgsqlTransaction transaction, EntityWriteResult result, CancellationToken ct)
    {
        if (result.Outcome == WriteOutcome.Written)
        {
            await transaction.CommitAsync(ct);
        }
        else
        {
            await transaction.RollbackAsync(ct);
        }
    }

    /// <summary>
    /// Runs a batch of writes followed by the read of the version they leave current, in one round trip; a name
    /// already taken by another current entity (a race the check cannot see) comes back as the error instead.
    /// </summary>
    private static async Task<(EntityVersion? Version, FieldError? NameTaken)> TryWriteAsync(NpgsqlBatch batch, EntityType type, Guid entityId, CancellationToken ct)
    {
        try
        {
            return (await WriteAndReadAsync(batch, type, entityId, ct), null);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "entity_version_current_name")
        {
            return (null, DraftChecker.NameTakenError);
        }
    }

    /// <summary>Runs a batch of writes, then reads the entity's current version in the same round trip.</summary>
    internal static async Task<EntityVersion> WriteAndReadAsync(NpgsqlBatch batch, EntityType type, Guid entityId, CancellationToken ct)
    {
        batch.BatchCommands.Add(EntityReader.CurrentCommand(type, entityId));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        return (await EntityReader.ReadLastAsync(reader, ct)).Version
            ?? throw new InvalidOperationException($"Entity {entityId} has no current version after a write.");
    }

    private static void AddVersion(
        NpgsqlBatch batch, Guid versionId, EntityContent content, Guid? supersedes, LifecycleStatus status, DateTimeOffset? suspendedAt,
        DraftCheck check, float[]? embedding, string actor)
    {
        var draft = content.Draft;
        var version = Command(
            """
            insert into catalog.entity_version
                (version_id, entity_id, entity_type, name, description, status, suspended_at, version, supersedes, previous_hash,
                 content_hash, is_current, certification_status, violations, created_by, updated_by, tags, attributes)
            values
                (@version, @id, @type, @name, @description, @status, @suspendedAt, @number, @supersedes, @previousHash,
                 @hash, true, 'pending', @violations, @actor, @actor, @tags, @attributes)
            """,
            ("version", versionId), ("id", content.EntityId), ("type", draft.EntityType.SchemaName()), ("name", draft.Name),
            ("description", draft.Description), ("status", status.SchemaName()), ("suspendedAt", suspendedAt), ("number", content.Version),
            ("supersedes", supersedes), ("previousHash", content.PreviousHash), ("hash", content.ComputeHash()), ("actor", actor),
            ("tags", draft.Tags.ToArray()));
        version.Parameters.Add(new NpgsqlParameter("violations", NpgsqlDbType.Jsonb) { Value = ViolationsJson.Serialize(check.Report) });
        version.Parameters.Add(new NpgsqlParameter("attributes", NpgsqlDbType.Jsonb) { Value = draft.Attributes.GetRawText() });
        batch.BatchCommands.Add(version);

        switch (draft)
        {
            case IndustryDraft industry:
                batch.BatchCommands.Add(Command("insert into catalog.industry (version_id, code) values (@version, @code)",
                    ("version", versionId), ("code", industry.Code)));
                break;
            case SkillDraft skill:
                batch.BatchCommands.Add(Command("insert into catalog.skill (version_id, category, embedding) values (@version, @category, @embedding)",
                    ("version", versionId), ("category", skill.Category), ("embedding", embedding)));
                break;
            case JobRoleDraft role:
                batch.BatchCommands.Add(Command("insert into catalog.job_role (version_id, seniority, industry_id) values (@version, @seniority, @industry)",
                    ("version", versionId), ("seniority", role.Seniority), ("industry", role.IndustryId)));
                batch.BatchCommands.Add(Command("insert into catalog.job_role_skill (job_role_version_id, skill_id) select @version, unnest(@ids)",
                    ("version", versionId), ("ids", role.RequiredSkillIds.ToArray())));
                break;
            case TeamDraft team:
                batch.BatchCommands.Add(Command("insert into catalog.team (version_id, job_role_id) values (@version, @jobRole)",
                    ("version", versionId), ("jobRole", team.JobRoleId)));
                batch.BatchCommands.Add(Command("insert into catalog.team_member (team_version_id, agent_id) select @version, unnest(@ids)",
                    ("version", versionId), ("ids", team.MemberAgentIds.ToArray())));
                break;
            case AgentDraft agent:
                batch.BatchCommands.Add(Command(
                    """
                    insert into catalog.agent (version_id, job_role_id, industry_id, team_id, availability, price_per_hour, currency)
                    values (@version, @jobRole, @industry, @team, @availability, @price, @currency)
                    """,
                    ("version", versionId), ("jobRole", agent.JobRoleId), ("industry", agent.IndustryId), ("team", agent.TeamId),
                    ("availability", agent.Availability), ("price", agent.PricePerHour), ("currency", agent.Currency)));
                batch.BatchCommands.Add(Command("insert into catalog.agent_skill (agent_version_id, skill_id) select @version, unnest(@ids)",
                    ("version", versionId), ("ids", agent.SkillIds.ToArray())));
                break;
        }
    }

    private static JsonElement Details(EntityVersion version, DraftCheck check) => JsonSerializer.SerializeToElement(
        new VersionDetails(version.EntityType.SchemaName(), version.Version, version.VersionId, version.ContentHash,
            version.Content.PreviousHash, version.Status.SchemaName(), ViolationsJson.Summary(check.Report)),
        GenesisJsonContext.Default.VersionDetails);

    /// <summary>The audit details of a lifecycle change (camelCase, as <see cref="GenesisJsonContext"/> writes them).</summary>
    internal sealed record LifecycleDetails(string EntityType, int Version, Guid VersionId, string From, string To);

    /// <summary>The audit details of a created or amended version.</summary>
    internal sealed record VersionDetails(string EntityType, int Version, Guid VersionId, string ContentHash, string? PreviousHash,
        string Status, ViolationsJson.ViolationSummary[] Violations);

    internal static NpgsqlBatchCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}

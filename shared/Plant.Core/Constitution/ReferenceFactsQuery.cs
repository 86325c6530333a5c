using Npgsql;
using NpgsqlTypes;
using Plant.Core.Catalog;

namespace Plant.Core.Constitution;

/// <summary>
/// Resolves the <see cref="ReferenceFacts"/> of one draft from the catalog in one round trip: the current version of
/// every entity the draft refers to (type, lifecycle, certification, and the industry, job role and required
/// skills the L1 rules follow one step further), and whether another current entity of its type has its name.
/// </summary>
public sealed class ReferenceFactsQuery
{
    // Current versions only; trials are never referenced by a draft. Status and certification are returned as they
    // are: the rules tell "missing" from "not certified", "suspended" and "retired" in their messages.
    private const string EntitiesSql = """
        select e.entity_id, e.entity_type, v.status, v.certification_status,
               coalesce(j.industry_id, a.industry_id) as industry_id,
               coalesce(t.job_role_id, a.job_role_id) as job_role_id,
               case when j.version_id is not null then
                   array(select rs.skill_id from catalog.job_role_skill rs where rs.job_role_version_id = j.version_id order by rs.skill_id)
               end as required_skill_ids
        from catalog.entity e
        join catalog.entity_version v on v.entity_id = e.entity_id and v.is_current
        left join catalog.job_role j on j.version_id = v.version_id
        left join catalog.team t on t.version_id = v.version_id
        left join catalog.agent a on a.version_id = v.version_id
        where e.entity_id = any(@ids) and e.entity_type <> 'trial'
        """;

    // The same test as the unique index entity_version_current_name (entity_type, lower(name)) where is_current,
    // so the answer matches what an insert would meet; the entity itself is left out for an amendment.
    private const string NameTakenSql = """
        select exists (
            select 1 from catalog.entity_version
            where is_current and entity_type = @type and lower(name) = lower(@name) and entity_id is distinct from @self)
        """;

    private readonly NpgsqlDataSource _dataSource;

    /// <param name="dataSource">The process's data source.</param>
    public ReferenceFactsQuery(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    /// <summary>Resolves the facts of <paramref name="draft"/> on a connection of its own.</summary>
    /// <param name="draft">The draft about to be validated.</param>
    /// <param name="entityId">The entity the draft amends, left out of the name check; null for a new entity.</param>
    /// <param name="ct">Cancels the query.</param>
    public async Task<ReferenceFacts> ResolveAsync(EntityDraft draft, Guid? entityId, CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        return await ResolveAsync(connection, null, draft, entityId, ct);
    }

    /// <summary>
    /// Resolves the facts of <paramref name="draft"/> on the caller's connection and transaction, for a caller that
    /// validates and writes in one transaction (certification under a lock).
    /// </summary>
    public static async Task<ReferenceFacts> ResolveAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, EntityDraft draft, Guid? entityId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(draft);

        await using var batch = new NpgsqlBatch(connection, transaction);
        var entities = new NpgsqlBatchCommand(EntitiesSql);
        entities.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ReferencedIds(draft) });
        batch.BatchCommands.Add(entities);

        var nameTaken = new NpgsqlBatchCommand(NameTakenSql);
        nameTaken.Parameters.Add(new NpgsqlParameter("type", NpgsqlDbType.Text) { Value = draft.EntityType.SchemaName() });
        nameTaken.Parameters.Add(new NpgsqlParameter("name", NpgsqlDbType.Text) { Value = draft.Name ?? "" });
        nameTaken.Parameters.Add(new NpgsqlParameter("self", NpgsqlDbType.Uuid) { Value = entityId is { } id ? id : DBNull.Value });
        batch.BatchCommands.Add(nameTaken);

        await using var reader = await batch.ExecuteReaderAsync(ct);
        var found = new List<ReferencedEntity>();
        while (await reader.ReadAsync(ct))
        {
            if (!EntityTypes.TryParseSchemaName(reader.GetString(1), out var type))
            {
                continue;
            }

            found.Add(new ReferencedEntity(
                reader.GetGuid(0),
                type,
                Lifecycle.ParseLifecycle(reader.GetString(2)),
                Lifecycle.ParseCertification(reader.GetString(3)))
            {
                IndustryId = reader.IsDBNull(4) ? null : reader.GetGuid(4),
                JobRoleId = reader.IsDBNull(5) ? null : reader.GetGuid(5),
                RequiredSkillIds = reader.IsDBNull(6) ? [] : reader.GetFieldValue<Guid[]>(6),
            });
        }

        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        var taken = reader.GetBoolean(0);
        return new ReferenceFacts(found, taken);
    }

    /// <summary>The distinct, non-empty ids <paramref name="draft"/> refers to: what the rules look up.</summary>
    public static Guid[] ReferencedIds(EntityDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var ids = new HashSet<Guid>();
        switch (draft)
        {
            case JobRoleDraft jobRole:
                Add(ids, jobRole.IndustryId);
                AddAll(ids, jobRole.RequiredSkillIds);
                break;
            case TeamDraft team:
                Add(ids, team.JobRoleId);
                AddAll(ids, team.MemberAgentIds);
                break;
            case AgentDraft agent:
                Add(ids, agent.IndustryId);
                Add(ids, agent.JobRoleId);
                Add(ids, agent.TeamId);
                AddAll(ids, agent.SkillIds);
                break;
        }

        return [.. ids];
    }

    private static void Add(HashSet<Guid> ids, Guid? id)
    {
        if (id is { } value && value != Guid.Empty)
        {
            ids.Add(value);
        }
    }

    private static void AddAll(HashSet<Guid> ids, IReadOnlyList<Guid>? list)
    {
        if (list is null)
        {
            return;
        }

        // Beyond the limit the draft is refused anyway (L0-REF-001); the query stays bounded.
        var count = Math.Min(list.Count, ConstitutionLimits.MaxReferences);
        for (var i = 0; i < count; i++)
        {
            Add(ids, list[i]);
        }
    }
}

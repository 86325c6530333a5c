using System.Text.Json;
using Npgsql;
using Plant.Core.Catalog;
using Plant.Core.Paging;

namespace Plant.Core.Genesis;

/// <summary>A page of entities and the cursor of the next page (null on the last).</summary>
public sealed record EntityPage(IReadOnlyList<EntityVersion> Items, string? Next);

/// <summary>Filters of an entity listing.</summary>
/// <param name="Status">Only current versions in this lifecycle status.</param>
/// <param name="Certification">Only current versions in this certification status.</param>
public sealed record EntityFilter(LifecycleStatus? Status = null, CertificationStatus? Certification = null);

/// <summary>
/// Reads entity versions with their subtype fields and links, rebuilding the <see cref="EntityContent"/> that was
/// hashed when they were written. Every read of a version in Genesis goes through here, so that the content a
/// certificate is checked against is rebuilt the one way it was built.
/// </summary>
public static class EntityReader
{
    /// <summary>The largest page a listing returns.</summary>
    public const int MaxPageSize = 200;

    private const string CurrentWhere = "\nwhere v.entity_id = @id and v.entity_type = @type and v.is_current";

    // One select for every read: the version, its subtype row (one of the left joins matches) and its links.
    private const string Select = """
        select v.version_id, v.entity_id, v.entity_type, v.name, v.description, v.tags, v.attributes::text,
               v.version, v.supersedes, v.previous_hash, v.content_hash, v.is_current,
               v.status, v.activated_at, v.suspended_at, v.retired_at,
               v.certification_status, v.certified_at, v.certificate_ref, v.violations::text,
               v.created_at, v.created_by, v.updated_at, v.updated_by,
               i.code, s.category, r.seniority, coalesce(r.industry_id, a.industry_id), coalesce(t.job_role_id, a.job_role_id),
               a.team_id, a.availability, a.price_per_hour, a.currency,
               case v.entity_type
                   when 'job_role' then array(select x.skill_id from catalog.job_role_skill x where x.job_role_version_id = v.version_id)
                   when 'team' then array(select x.agent_id from catalog.team_member x where x.team_version_id = v.version_id)
                   when 'agent' then array(select x.skill_id from catalog.agent_skill x where x.agent_version_id = v.version_id)
               end
        from catalog.entity_version v
        left join catalog.industry i on i.version_id = v.version_id
        left join catalog.skill s on s.version_id = v.version_id
        left join catalog.job_role r on r.version_id = v.version_id
        left join catalog.team t on t.version_id = v.version_id
        left join catalog.agent a on a.version_id = v.version_id
        """;

    /// <summary>The current version of an entity of <paramref name="type"/>, or null when there is none of that type.</summary>
    public static async Task<EntityVersion?> CurrentAsync(NpgsqlDataSource dataSource, EntityType type, Guid entityId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var versions = await QueryAsync(dataSource.CreateCommand(Select + CurrentWhere), ct, ("id", entityId), ("type", type.SchemaName()));
        return versions.Count == 0 ? null : versions[0];
    }

    /// <summary>
    /// The read of <see cref="CurrentAsync"/> as a batch command, to end a batch of writes with it (one round trip
    /// for a write and the version it leaves); read the batch with <see cref="ReadLastAsync"/>.
    /// </summary>
    internal static NpgsqlBatchCommand CurrentCommand(EntityType type, Guid entityId)
    {
        var command = new NpgsqlBatchCommand(Select + CurrentWhere);
        command.Parameters.AddWithValue("id", entityId);
        command.Parameters.AddWithValue("type", type.SchemaName());
        return command;
    }

    /// <summary>
    /// Reads a batch's result sets in order and returns the row counts of all but the last that return rows, and
    /// the versions of the last (the <see cref="CurrentCommand"/> it ends with).
    /// </summary>
    internal static async Task<(List<int> Counts, EntityVersion? Version)> ReadLastAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var counts = new List<int>();
        EntityVersion? version = null;
        do
        {
            // Statements that return no rows (inserts, updates) have no fields; skip them.
            if (reader.FieldCount == 0)
            {
                continue;
            }

            if (reader.FieldCount == 1)
            {
                var rows = 0;
                while (await reader.ReadAsync(ct))
                {
                    rows++;
                }

                counts.Add(rows);
                continue;
            }

            while (await reader.ReadAsync(ct))
            {
                version = Map(reader);
            }
        }
        while (await reader.NextResultAsync(ct));
        return (counts, version);
    }

    /// <summary>One version of an entity of any type Genesis manages (not a trial), or null.</summary>
    public static async Task<EntityVersion?> VersionAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid entityId, int version, CancellationToken ct)
    {
        var versions = await QueryAsync(new NpgsqlCommand(Select + "\nwhere v.entity_id = @id and v.version = @version and v.entity_type <> 'trial'", connection, transaction), ct,
            ("id", entityId), ("version", version));
        return versions.Count == 0 ? null : versions[0];
    }

    /// <summary>Every version of an entity of <paramref name="type"/>, oldest first; empty when there is no such entity.</summary>
    public static Task<IReadOnlyList<EntityVersion>> HistoryAsync(NpgsqlDataSource dataSource, EntityType type, Guid entityId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return QueryAsync(dataSource.CreateCommand(Select + "\nwhere v.entity_id = @id and v.entity_type = @type order by v.version"), ct,
            ("id", entityId), ("type", type.SchemaName()));
    }

    /// <summary>
    /// Current versions of <paramref name="type"/> that pass <paramref name="filter"/>, by name then id, after
    /// <paramref name="cursor"/> (the <see cref="EntityPage.Next"/> of the previous page; null for the first).
    /// </summary>
    /// <exception cref="InvalidCursorException">The cursor was changed, or belongs to another type or filter.</exception>
    public static async Task<EntityPage> ListAsync(
        NpgsqlDataSource dataSource, PageCursors cursors, EntityType type, EntityFilter filter, int limit, string? cursor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(cursors);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        var fingerprint = PageCursors.Fingerprint($"genesis|{type.SchemaName()}|{filter.Status?.SchemaName()}|{filter.Certification?.SchemaName()}");
        var after = cursor is null ? null : await cursors.DecodeAsync(cursor, fingerprint, CursorValueKind.Text, ct);
        var sql = Select + """

            where v.is_current and v.entity_type = @type
              and (@status::text is null or v.status = @status)
              and (@certification::text is null or v.certification_status = @certification)
              and (@afterName::text is null or (v.name, v.entity_id) > (@afterName, @afterId))
            order by v.name, v.entity_id
            limit @limit
            """;
        var items = await QueryAsync(dataSource.CreateCommand(sql), ct,
            ("type", type.SchemaName()),
            ("status", filter.Status?.SchemaName()),
            ("certification", filter.Certification?.SchemaName()),
            ("afterName", after?.Text),
            ("afterId", after?.Id ?? Guid.Empty),
            ("limit", limit + 1));
        var page = items.Take(limit).ToList();
        var next = items.Count > limit
            ? await cursors.EncodeAsync(fingerprint, CursorPosition.AfterText(page[^1].Content.Draft.Name, page[^1].EntityId), ct)
            : null;
        return new EntityPage(page, next);
    }

    /// <summary>Runs <paramref name="command"/> (disposing it) and maps its rows.</summary>
    private static async Task<IReadOnlyList<EntityVersion>> QueryAsync(NpgsqlCommand command, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var disposed = command;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var versions = new List<EntityVersion>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            versions.Add(Map(reader));
        }

        return versions;
    }

    private static EntityVersion Map(NpgsqlDataReader r)
    {
        var entityId = r.GetGuid(1);
        if (!EntityTypes.TryParseSchemaName(r.GetString(2), out var type))
        {
            throw new InvalidOperationException($"Entity {entityId} has the type '{r.GetString(2)}', which Genesis does not manage.");
        }

        var name = r.GetString(3);
        var description = r.GetString(4);
        var tags = r.GetFieldValue<string[]>(5);
        var attributes = JsonElement.Parse(r.GetString(6));
        var links = r.IsDBNull(33) ? [] : r.GetFieldValue<Guid[]>(33);
        Guid? industryId = r.IsDBNull(27) ? null : r.GetGuid(27);
        Guid? jobRoleId = r.IsDBNull(28) ? null : r.GetGuid(28);
        EntityDraft draft = type switch
        {
            EntityType.Industry => new IndustryDraft { Code = r.IsDBNull(24) ? null : r.GetString(24) },
            EntityType.Skill => new SkillDraft { Category = r.GetString(25) },
            EntityType.JobRole => new JobRoleDraft { Seniority = r.GetString(26), IndustryId = industryId, RequiredSkillIds = links },
            EntityType.Team => new TeamDraft { JobRoleId = jobRoleId, MemberAgentIds = links },
            EntityType.Agent => new AgentDraft
            {
                IndustryId = industryId,
                JobRoleId = jobRoleId,
                TeamId = r.IsDBNull(29) ? null : r.GetGuid(29),
                Availability = r.GetString(30),
                PricePerHour = r.GetDecimal(31),
                Currency = r.GetString(32),
                SkillIds = links,
            },
            _ => throw new InvalidOperationException($"No draft for {type}."),
        };
        draft = draft with { Name = name, Description = description, Tags = tags, Attributes = attributes };

        return new EntityVersion
        {
            VersionId = r.GetGuid(0),
            Content = new EntityContent(entityId, r.GetInt32(7), r.IsDBNull(9) ? null : r.GetString(9), draft),
            Supersedes = r.IsDBNull(8) ? null : r.GetGuid(8),
            ContentHash = r.GetString(10),
            IsCurrent = r.GetBoolean(11),
            Status = Lifecycle.ParseLifecycle(r.GetString(12)),
            ActivatedAt = Timestamp(r, 13),
            SuspendedAt = Timestamp(r, 14),
            RetiredAt = Timestamp(r, 15),
            CertificationStatus = Lifecycle.ParseCertification(r.GetString(16)),
            CertifiedAt = Timestamp(r, 17),
            CertificateRef = r.IsDBNull(18) ? null : r.GetString(18),
            ViolationsJson = r.GetString(19),
            CreatedAt = r.GetFieldValue<DateTimeOffset>(20),
            CreatedBy = r.GetString(21),
            UpdatedAt = r.GetFieldValue<DateTimeOffset>(22),
            UpdatedBy = r.GetString(23),
        };
    }

    private static DateTimeOffset? Timestamp(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
}

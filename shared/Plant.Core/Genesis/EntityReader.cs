using System.Text.Json;
using Dapper;
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
    // Rows map to EntityRow by column name.
    private const string Select = """
        select v.version_id, v.entity_id, v.entity_type, v.name, v.description, v.tags, v.attributes::text as attributes,
               v.version, v.supersedes, v.previous_hash, v.content_hash, v.is_current,
               v.status, v.activated_at, v.suspended_at, v.retired_at,
               v.certification_status, v.certified_at, v.certificate_ref, v.violations::text as violations,
               v.created_at, v.created_by, v.updated_at, v.updated_by,
               i.code, s.category, r.seniority, coalesce(r.industry_id, a.industry_id) as industry_id,
               coalesce(t.job_role_id, a.job_role_id) as job_role_id,
               a.team_id, a.availability, a.price_per_hour, a.currency,
               case v.entity_type
                   when 'job_role' then array(select x.skill_id from catalog.job_role_skill x where x.job_role_version_id = v.version_id)
                   when 'team' then array(select x.agent_id from catalog.team_member x where x.team_version_id = v.version_id)
                   when 'agent' then array(select x.skill_id from catalog.agent_skill x where x.agent_version_id = v.version_id)
               end as links
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
        const string Sql = Select + CurrentWhere;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var row = await connection.QueryFirstOrDefaultAsync<EntityRow>(Sql, new { id = entityId, type = type.SchemaName(), ct });
        return row?.ToVersion();
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

            // The parser is generated at compile time (Dapper.AOT intercepts GetRowParser), like the queries' mapping.
            var parse = reader.GetRowParser<EntityRow>();
            while (await reader.ReadAsync(ct))
            {
                version = parse(reader).ToVersion();
            }
        }
        while (await reader.NextResultAsync(ct));
        return (counts, version);
    }

    /// <summary>One version of an entity of any type Genesis manages (not a trial), or null.</summary>
    public static async Task<EntityVersion?> VersionAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid entityId, int version, CancellationToken ct)
    {
        const string Sql = Select + "\nwhere v.entity_id = @id and v.version = @version and v.entity_type <> 'trial'";
        var row = await connection.QueryFirstOrDefaultAsync<EntityRow>(Sql, new { id = entityId, version, ct }, transaction);
        return row?.ToVersion();
    }

    /// <summary>Every version of an entity of <paramref name="type"/>, oldest first; empty when there is no such entity.</summary>
    public static async Task<IReadOnlyList<EntityVersion>> HistoryAsync(NpgsqlDataSource dataSource, EntityType type, Guid entityId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        const string Sql = Select + "\nwhere v.entity_id = @id and v.entity_type = @type order by v.version";
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<EntityRow>(Sql, new { id = entityId, type = type.SchemaName(), ct });
        return [.. rows.Select(r => r.ToVersion())];
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
        const string Sql = Select + """

            where v.is_current and v.entity_type = @type
              and (@status::text is null or v.status = @status)
              and (@certification::text is null or v.certification_status = @certification)
              and (@afterName::text is null or (v.name, v.entity_id) > (@afterName, @afterId))
            order by v.name, v.entity_id
            limit @limit
            """;
        var args = new
        {
            type = type.SchemaName(),
            status = filter.Status?.SchemaName(),
            certification = filter.Certification?.SchemaName(),
            afterName = after?.Text,
            afterId = after?.Id ?? Guid.Empty,
            limit = limit + 1,
            ct,
        };
        List<EntityVersion> items;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            items = [.. (await connection.QueryAsync<EntityRow>(Sql, args)).Select(r => r.ToVersion())];
        }

        var page = items.Take(limit).ToList();
        var next = items.Count > limit
            ? await cursors.EncodeAsync(fingerprint, CursorPosition.AfterText(page[^1].Content.Draft.Name, page[^1].EntityId), ct)
            : null;
        return new EntityPage(page, next);
    }

    /// <summary>A row of <see cref="Select"/>: the version's columns, its subtype's and its links (null for a type without).</summary>
    internal sealed record EntityRow(
        Guid VersionId,
        Guid EntityId,
        string EntityType,
        string Name,
        string Description,
        string[] Tags,
        string Attributes,
        int Version,
        Guid? Supersedes,
        string? PreviousHash,
        string ContentHash,
        bool IsCurrent,
        string Status,
        DateTimeOffset? ActivatedAt,
        DateTimeOffset? SuspendedAt,
        DateTimeOffset? RetiredAt,
        string CertificationStatus,
        DateTimeOffset? CertifiedAt,
        string? CertificateRef,
        string Violations,
        DateTimeOffset CreatedAt,
        string CreatedBy,
        DateTimeOffset UpdatedAt,
        string UpdatedBy,
        string? Code,
        string? Category,
        string? Seniority,
        Guid? IndustryId,
        Guid? JobRoleId,
        Guid? TeamId,
        string? Availability,
        decimal? PricePerHour,
        string? Currency,
        Guid[]? Links)
    {
        public EntityVersion ToVersion()
        {
            if (!EntityTypes.TryParseSchemaName(EntityType, out var type))
            {
                throw new InvalidOperationException($"Entity {EntityId} has the type '{EntityType}', which Genesis does not manage.");
            }

            // The subtype's columns are not null for its own type (V0001's NOT NULLs); the null-forgiving reads below
            // rely on that, as the ordinal reads before them did.
            var links = Links ?? [];
            EntityDraft draft = type switch
            {
                Catalog.EntityType.Industry => new IndustryDraft { Code = Code },
                Catalog.EntityType.Skill => new SkillDraft { Category = Category! },
                Catalog.EntityType.JobRole => new JobRoleDraft { Seniority = Seniority!, IndustryId = IndustryId, RequiredSkillIds = links },
                Catalog.EntityType.Team => new TeamDraft { JobRoleId = JobRoleId, MemberAgentIds = links },
                Catalog.EntityType.Agent => new AgentDraft
                {
                    IndustryId = IndustryId,
                    JobRoleId = JobRoleId,
                    TeamId = TeamId,
                    Availability = Availability!,
                    PricePerHour = PricePerHour!.Value,
                    Currency = Currency!,
                    SkillIds = links,
                },
                _ => throw new InvalidOperationException($"No draft for {type}."),
            };
            draft = draft with { Name = Name, Description = Description, Tags = Tags, Attributes = JsonElement.Parse(Attributes) };

            return new EntityVersion
            {
                VersionId = VersionId,
                Content = new EntityContent(EntityId, Version, PreviousHash, draft),
                Supersedes = Supersedes,
                ContentHash = ContentHash,
                IsCurrent = IsCurrent,
                Status = Lifecycle.ParseLifecycle(Status),
                ActivatedAt = ActivatedAt,
                SuspendedAt = SuspendedAt,
                RetiredAt = RetiredAt,
                CertificationStatus = Lifecycle.ParseCertification(CertificationStatus),
                CertifiedAt = CertifiedAt,
                CertificateRef = CertificateRef,
                ViolationsJson = Violations,
                CreatedAt = CreatedAt,
                CreatedBy = CreatedBy,
                UpdatedAt = UpdatedAt,
                UpdatedBy = UpdatedBy,
            };
        }
    }
}

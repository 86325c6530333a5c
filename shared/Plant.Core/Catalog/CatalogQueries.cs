using System.Text;
using Npgsql;
using Plant.Core.Data;
using Plant.Core.Paging;

namespace Plant.Core.Catalog;

/// <summary>
/// The catalog the portals build their filters from: industries, skills, job roles and teams. Current versions that
/// are active and not rejected, by name (case-insensitive) with keyset pages; each answer carries the change marker.
/// </summary>
public sealed class CatalogQueries(NpgsqlDataSource dataSource, PageCursors cursors)
{
    /// <summary>The largest page.</summary>
    public const int MaximumLimit = 100;

    /// <summary>The skill categories V0001 allows.</summary>
    public static IReadOnlyList<string> SkillCategories { get; } = ["technical", "analytical", "communication", "domain", "creative", "operational"];

    private const string CommonColumns = "v.entity_id, v.name, v.description, v.certification_status, v.certified_at, v.certificate_ref, v.version";

    private static readonly Kind<IndustryView> s_industry = new("industry", "x.code", "", r =>
        new IndustryView(r.GetGuid(1), r.GetString(2), r.GetString(3), Nullable(r, 8), ReadCertification(r), r.GetInt32(7)));

    private static readonly Kind<SkillView> s_skill = new("skill", "x.category", "", r =>
        new SkillView(r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetString(8), ReadCertification(r), r.GetInt32(7)));

    private static readonly Kind<JobRoleView> s_jobRole = new(
        "job_role",
        """
        x.seniority, x.industry_id, coalesce(iv.name, ''),
        coalesce((select array_agg(s.skill_id order by lower(sv.name), s.skill_id) from catalog.job_role_skill s
                  join catalog.entity_version sv on sv.entity_id = s.skill_id and sv.is_current
                  where s.job_role_version_id = p.version_id), '{}'),
        coalesce((select array_agg(sv.name order by lower(sv.name), s.skill_id) from catalog.job_role_skill s
                  join catalog.entity_version sv on sv.entity_id = s.skill_id and sv.is_current
                  where s.job_role_version_id = p.version_id), '{}')
        """,
        "left join catalog.entity_version iv on iv.entity_id = x.industry_id and iv.is_current",
        r => new JobRoleView(
            r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetString(8),
            new EntityRef(r.GetGuid(9), r.GetString(10)),
            Refs(r.GetFieldValue<Guid[]>(11), r.GetFieldValue<string[]>(12)),
            ReadCertification(r), r.GetInt32(7)));

    // Members as queries show agents: current, active and not rejected; a suspended member is not listed.
    private static readonly Kind<TeamView> s_team = new(
        "team",
        """
        x.job_role_id, coalesce(rv.name, ''),
        coalesce((select array_agg(m.agent_id order by lower(av.name), m.agent_id) from catalog.team_member m
                  join catalog.entity_version av on av.entity_id = m.agent_id and av.is_current
                  where m.team_version_id = p.version_id and av.status = 'active' and av.certification_status <> 'rejected'), '{}'),
        coalesce((select array_agg(av.name order by lower(av.name), m.agent_id) from catalog.team_member m
                  join catalog.entity_version av on av.entity_id = m.agent_id and av.is_current
                  where m.team_version_id = p.version_id and av.status = 'active' and av.certification_status <> 'rejected'), '{}')
        """,
        "left join catalog.entity_version rv on rv.entity_id = x.job_role_id and rv.is_current",
        r => new TeamView(
            r.GetGuid(1), r.GetString(2), r.GetString(3),
            new EntityRef(r.GetGuid(8), r.GetString(9)),
            Refs(r.GetFieldValue<Guid[]>(10), r.GetFieldValue<string[]>(11)),
            ReadCertification(r), r.GetInt32(7)));

    private readonly NpgsqlDataSource _dataSource = dataSource;
    private readonly PageCursors _cursors = cursors;

    /// <summary>A page of industries.</summary>
    public Task<CatalogPage<IndustryView>> ListIndustriesAsync(int limit, string? cursor, CancellationToken ct) =>
        ListAsync(s_industry, null, limit, cursor, ct);

    /// <summary>A page of skills, of one <paramref name="category"/> (one of <see cref="SkillCategories"/>) when given.</summary>
    public Task<CatalogPage<SkillView>> ListSkillsAsync(string? category, int limit, string? cursor, CancellationToken ct)
    {
        if (category is not null && !SkillCategories.Contains(category))
        {
            throw new ArgumentException($"'{category}' is not a skill category.", nameof(category));
        }

        return ListAsync(s_skill, category is null ? null : new Condition("x.category = @category", "category", category, null), limit, cursor, ct);
    }

    /// <summary>A page of job roles, of one industry when given.</summary>
    /// <exception cref="UnknownReferenceException">The industry id names no industry.</exception>
    public Task<CatalogPage<JobRoleView>> ListJobRolesAsync(Guid? industry, int limit, string? cursor, CancellationToken ct) =>
        ListAsync(s_jobRole, industry is { } id ? new Condition("x.industry_id = @industry", "industry", id, (EntityType.Industry, id)) : null, limit, cursor, ct);

    /// <summary>A page of teams, of one job role when given.</summary>
    /// <exception cref="UnknownReferenceException">The job role id names no job role.</exception>
    public Task<CatalogPage<TeamView>> ListTeamsAsync(Guid? jobRole, int limit, string? cursor, CancellationToken ct) =>
        ListAsync(s_team, jobRole is { } id ? new Condition("x.job_role_id = @jobRole", "jobRole", id, (EntityType.JobRole, id)) : null, limit, cursor, ct);

    /// <summary>One industry, if it is current, active and not rejected, with the change marker.</summary>
    public Task<(IndustryView? Item, long CatalogVersion)> GetIndustryAsync(Guid id, CancellationToken ct) => GetAsync(s_industry, id, ct);

    /// <summary>One skill, if it is current, active and not rejected, with the change marker.</summary>
    public Task<(SkillView? Item, long CatalogVersion)> GetSkillAsync(Guid id, CancellationToken ct) => GetAsync(s_skill, id, ct);

    /// <summary>One job role, if it is current, active and not rejected, with the change marker.</summary>
    public Task<(JobRoleView? Item, long CatalogVersion)> GetJobRoleAsync(Guid id, CancellationToken ct) => GetAsync(s_jobRole, id, ct);

    /// <summary>One team, if it is current, active and not rejected, with the change marker.</summary>
    public Task<(TeamView? Item, long CatalogVersion)> GetTeamAsync(Guid id, CancellationToken ct) => GetAsync(s_team, id, ct);

    private async Task<CatalogPage<T>> ListAsync<T>(Kind<T> kind, Condition? condition, int limit, string? cursor, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaximumLimit);
        var fingerprint = PageCursors.Fingerprint($"catalog|{kind.Type}|{condition?.Parameter}={condition?.Value}");
        var after = cursor is null ? null : await _cursors.DecodeAsync(cursor, fingerprint, CursorValueKind.Text, ct);

        long catalogVersion;
        var rows = new List<(T Item, string Key, Guid Id)>(limit + 1);
        await using (var batch = await PreparedBatch.OpenAsync(_dataSource, ct))
        {
            batch.Add(new NpgsqlBatchCommand(CatalogChanges.Sql));
            if (condition?.Reference is { } reference)
            {
                batch.Add(CatalogReferences.Command([reference.Id]));
            }

            var command = new NpgsqlBatchCommand();
            var where = new StringBuilder();
            if (condition is not null)
            {
                where.Append(" and ").Append(condition.Sql);
                command.Parameters.AddWithValue(condition.Parameter, condition.Value);
            }

            if (after is not null)
            {
                where.Append(" and (lower(v.name), v.entity_id) > (@after_key, @after_id)");
                command.Parameters.AddWithValue("after_key", after.Text!);
                command.Parameters.AddWithValue("after_id", after.Id);
            }

            command.CommandText = kind.Sql(where.ToString());
            command.Parameters.AddWithValue("take", limit + 1);
            batch.Add(command);

            await using var reader = await batch.ExecuteReaderAsync(ct);
            catalogVersion = await CatalogChanges.ReadVersionAsync(reader, ct);
            if (condition?.Reference is { } checkedReference)
            {
                await reader.NextResultAsync(ct);
                await CatalogReferences.CheckAsync(reader, [checkedReference], ct);
            }

            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add((kind.Read(reader), reader.GetString(0), reader.GetGuid(1)));
            }
        }

        // Encoded after the connection went back to the pool (see AgentQueries.ListAsync).
        string? next = null;
        if (rows.Count > limit)
        {
            var (_, key, id) = rows[limit - 1];
            next = await _cursors.EncodeAsync(fingerprint, CursorPosition.AfterText(key, id), ct);
            rows.RemoveAt(limit);
        }

        return new CatalogPage<T>([.. rows.Select(r => r.Item)], next, catalogVersion);
    }

    private async Task<(T? Item, long CatalogVersion)> GetAsync<T>(Kind<T> kind, Guid id, CancellationToken ct)
        where T : class
    {
        await using var batch = await PreparedBatch.OpenAsync(_dataSource, ct);
        batch.Add(new NpgsqlBatchCommand(CatalogChanges.Sql));
        var command = new NpgsqlBatchCommand(kind.Sql(" and v.entity_id = @id"));
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("take", 1);
        batch.Add(command);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var catalogVersion = await CatalogChanges.ReadVersionAsync(reader, ct);
        await reader.NextResultAsync(ct);
        return (await reader.ReadAsync(ct) ? kind.Read(reader) : null, catalogVersion);
    }

    private static Certification ReadCertification(NpgsqlDataReader reader) =>
        new(reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), Nullable(reader, 6));

    private static string? Nullable(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static EntityRef[] Refs(Guid[] ids, string[] names) => [.. ids.Select((id, i) => new EntityRef(id, names[i]))];

    /// <summary>A list filter: its SQL, its one parameter, and the reference to check when the value is an id.</summary>
    private sealed record Condition(string Sql, string Parameter, object Value, (EntityType Type, Guid Id)? Reference);

    /// <summary>
    /// One kind of catalog entity: its subtype table (aliased <c>x</c>), the columns after the common ones
    /// (ordinal 8 on; ordinal 0 is the sort key), extra joins, and how a row becomes a view.
    /// </summary>
    private sealed class Kind<T>(string type, string columns, string joins, Func<NpgsqlDataReader, T> read)
    {
        public string Type { get; } = type;

        public Func<NpgsqlDataReader, T> Read { get; } = read;

        public string Sql(string where) => $"""
            with page as (
                select v.entity_id, v.version_id, lower(v.name) as sort_key
                from catalog.entity_version v
                join catalog.{Type} x on x.version_id = v.version_id
                where v.is_current and v.entity_type = '{Type}' and v.status = 'active' and v.certification_status <> 'rejected'{where}
                order by lower(v.name), v.entity_id
                limit @take
            )
            select p.sort_key, {CommonColumns}, {columns}
            from page p
            join catalog.entity_version v on v.version_id = p.version_id
            join catalog.{Type} x on x.version_id = p.version_id
            {joins}
            order by p.sort_key, p.entity_id
            """;
    }
}

using System.Text;
using Dapper;
using Npgsql;
using Plant.Core.Agents.ReadModel;
using Plant.Core.Catalog;
using Plant.Core.Data;
using Plant.Core.Paging;

namespace Plant.Core.Agents;

/// <summary>
/// Agent queries for the portals: a filtered, sorted list with keyset pagination, one agent's whole profile, and
/// the profiles of search hits. Current versions only. Each answer carries the catalog change marker read before
/// the data, from which the HTTP layer derives ETags.
/// </summary>
/// <remarks>
/// The statements stay Npgsql batches, prepared (<see cref="PreparedBatch"/>): the marker and the data come in one
/// round trip, and their text and parameters depend on the filter (<see cref="AgentFilterSql"/>), which Dapper.AOT
/// cannot generate. Their rows are parsed by Dapper.AOT's generated parser for <see cref="AgentRow"/> (GetRowParser).
/// </remarks>
public sealed class AgentQueries(NpgsqlDataSource dataSource, PageCursors cursors, AgentReadModel? readModel = null)
{
    /// <summary>The largest page.</summary>
    public const int MaximumLimit = 100;

    // The columns of AgentRow, for the rows of a CTE named "page" (entity_id, version_id); what agents refer to
    // is resolved to the current version of each referenced entity. Named as AgentRow's members: they are read by name.
    internal const string ViewColumnsSql = """
        v.entity_id, v.name, v.description, v.status, v.certification_status, v.certified_at, v.certificate_ref,
               v.version, e.created_at, v.updated_at, v.tags,
               a.availability, a.price_per_hour, a.currency,
               a.industry_id, iv.name as industry_name, i.code as industry_code,
               a.job_role_id, rv.name as job_role_name, r.seniority as job_role_seniority,
               a.team_id, tv.name as team_name,
               coalesce(sk.ids, '{}') as skill_ids, coalesce(sk.names, '{}') as skill_names, coalesce(sk.categories, '{}') as skill_categories
        """;

    internal const string ViewFromSql = """
        from page p
        join catalog.entity_version v on v.version_id = p.version_id
        join catalog.agent a on a.version_id = p.version_id
        join catalog.entity e on e.entity_id = p.entity_id
        left join catalog.entity_version iv on iv.entity_id = a.industry_id and iv.is_current
        left join catalog.industry i on i.version_id = iv.version_id
        left join catalog.entity_version rv on rv.entity_id = a.job_role_id and rv.is_current
        left join catalog.job_role r on r.version_id = rv.version_id
        left join catalog.entity_version tv on tv.entity_id = a.team_id and tv.is_current
        left join lateral (
            select array_agg(s.skill_id order by lower(sv.name), s.skill_id) as ids,
                   array_agg(sv.name order by lower(sv.name), s.skill_id) as names,
                   array_agg(k.category order by lower(sv.name), s.skill_id) as categories
            from catalog.agent_skill s
            join catalog.entity_version sv on sv.entity_id = s.skill_id and sv.is_current
            join catalog.skill k on k.version_id = sv.version_id
            where s.agent_version_id = p.version_id
        ) sk on true
        """;

    private readonly NpgsqlDataSource _dataSource = dataSource;
    private readonly PageCursors _cursors = cursors;
    private readonly AgentReadModel? _readModel = readModel;

    /// <summary>
    /// One page of the agents that pass <paramref name="filter"/>, in <paramref name="sort"/> order:
    /// <paramref name="limit"/> (1 to <see cref="MaximumLimit"/>) agents after <paramref name="cursor"/> (the
    /// <see cref="AgentPage.NextCursor"/> of the previous page; null for the first).
    /// </summary>
    /// <exception cref="InvalidCursorException">The cursor is not valid for this query.</exception>
    /// <exception cref="UnknownReferenceException">A filter id names no entity of its type.</exception>
    public async Task<AgentPage> ListAsync(AgentFilter filter, AgentSort sort, int limit, string? cursor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaximumLimit);
        CheckStatuses(filter);

        var fingerprint = PageCursors.Fingerprint($"agents|{sort}|{filter.Canonical()}");
        var after = cursor is null ? null : await _cursors.DecodeAsync(cursor, fingerprint, KeyKind(sort), ct);

        // From memory when the read model holds this catalog version (and can answer this page), else the query.
        (List<(AgentView View, object SortKey)> Rows, long CatalogVersion)? held = null;
        if (_readModel is { MayAnswer: true } && filter.Text is null
            && _readModel.Current(await CatalogChanges.ReadVersionAsync(_dataSource, ct)) is { } snapshot
            && snapshot.TryPage(filter, sort, limit + 1, after) is { } page)
        {
            held = (page, snapshot.CatalogVersion);
            _readModel.Answered();
        }

        var (rows, catalogVersion) = held ?? await QueryPageAsync(filter, sort, limit + 1, after, ct);

        // After the connection went back to the pool: the first cursor of a process reads (or creates) the key on a
        // connection of its own, and holding one while waiting for another could starve a small pool.
        string? next = null;
        if (rows.Count > limit)
        {
            var (last, key) = rows[limit - 1];
            next = await _cursors.EncodeAsync(fingerprint, Position(sort, key, last.Id), ct);
            rows.RemoveAt(limit);
        }

        return new AgentPage([.. rows.Select(r => r.View)], next, catalogVersion);
    }

    /// <summary>The page by the catalog query: the marker, the reference check and the page in one round trip.</summary>
    private async Task<(List<(AgentView View, object SortKey)> Rows, long CatalogVersion)> QueryPageAsync(
        AgentFilter filter, AgentSort sort, int take, CursorPosition? after, CancellationToken ct)
    {
        var rows = new List<(AgentView View, object SortKey)>(take);
        await using var batch = await PreparedBatch.OpenAsync(_dataSource, ct);
        batch.Add(new NpgsqlBatchCommand(CatalogChanges.Sql));
        var references = References(filter);
        if (references.Count > 0)
        {
            batch.Add(CatalogReferences.Command(references.Select(r => r.Id)));
        }

        batch.Add(PageCommand(filter, sort, take, after));

        await using var reader = await batch.ExecuteReaderAsync(ct);
        var catalogVersion = await CatalogChanges.ReadVersionAsync(reader, ct);
        if (references.Count > 0)
        {
            await reader.NextResultAsync(ct);
            await CatalogReferences.CheckAsync(reader, references, ct);
        }

        await reader.NextResultAsync(ct);
        var parse = reader.GetRowParser<AgentRow>();
        while (await reader.ReadAsync(ct))
        {
            var row = parse(reader);
            rows.Add((row.ToView(), row.SortKey!));
        }

        return (rows, catalogVersion);
    }

    /// <summary>
    /// The first page of the default agent list, active agents cheapest first, read on <paramref name="connection"/>
    /// (inside its transaction, if any) and not prepared: the Migrate app's smoke check runs it after a migration, so
    /// that a migration that breaks the portals' query is undone. It needs only V0001's tables. Returns the rows read;
    /// a query running longer than <paramref name="timeoutSeconds"/> fails with Npgsql's timeout.
    /// </summary>
    public static async Task<int> ReadFirstPageAsync(NpgsqlConnection connection, int limit, int timeoutSeconds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaximumLimit);
        await using var batch = new NpgsqlBatch(connection) { Timeout = timeoutSeconds };
        batch.BatchCommands.Add(PageCommand(new AgentFilter(), AgentSort.Price, limit, null));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var parse = reader.GetRowParser<AgentRow>();
        var rows = 0;
        while (await reader.ReadAsync(ct))
        {
            parse(reader).ToView();
            rows++;
        }

        return rows;
    }

    /// <summary>
    /// The current version of one agent, if it exists and its listing status is one of <paramref name="statuses"/>
    /// (by default active only: a suspended agent is not shown unless asked for), with the catalog marker.
    /// </summary>
    public async Task<(AgentView? Agent, long CatalogVersion)> GetAsync(Guid id, IReadOnlyList<AgentListingStatus> statuses, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var filter = new AgentFilter { Statuses = statuses };
        CheckStatuses(filter);
        if (_readModel is { MayAnswer: true } && _readModel.Current(await CatalogChanges.ReadVersionAsync(_dataSource, ct)) is { } snapshot)
        {
            _readModel.Answered();
            return (snapshot.Find(id, filter), snapshot.CatalogVersion);
        }

        await using var batch = await PreparedBatch.OpenAsync(_dataSource, genericPlan: true, ct);
        batch.Add(new NpgsqlBatchCommand(CatalogChanges.Sql));
        batch.Add(ByIdsCommand([id], filter));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var catalogVersion = await CatalogChanges.ReadVersionAsync(reader, ct);
        await reader.NextResultAsync(ct);
        return (await reader.ReadAsync(ct) ? reader.GetRowParser<AgentRow>()(reader).ToView() : null, catalogVersion);
    }

    /// <summary>
    /// The agents with these ids whose listing status is still one of <paramref name="statuses"/> (search hits are
    /// checked again, so that an agent suspended after the ranking is not shown), by id.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, AgentView>> GetManyAsync(IReadOnlyList<Guid> ids, IReadOnlyList<AgentListingStatus> statuses, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(statuses);
        var filter = new AgentFilter { Statuses = statuses };
        CheckStatuses(filter);
        if (ids.Count == 0)
        {
            return new Dictionary<Guid, AgentView>();
        }

        if (_readModel is { MayAnswer: true } && _readModel.Current(await CatalogChanges.ReadVersionAsync(_dataSource, ct)) is { } snapshot)
        {
            _readModel.Answered();
            var held = new Dictionary<Guid, AgentView>(ids.Count);
            foreach (var id in ids)
            {
                if (snapshot.Find(id, filter) is { } view)
                {
                    held[id] = view;
                }
            }

            return held;
        }

        await using var batch = await PreparedBatch.OpenAsync(_dataSource, genericPlan: true, ct);
        batch.Add(ByIdsCommand(ids, filter));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var views = new Dictionary<Guid, AgentView>(ids.Count);
        var parse = reader.GetRowParser<AgentRow>();
        while (await reader.ReadAsync(ct))
        {
            var view = parse(reader).ToView();
            views[view.Id] = view;
        }

        return views;
    }

    /// <summary>Checks that every id in the filter names a current entity of its type.</summary>
    /// <exception cref="UnknownReferenceException">One does not.</exception>
    public async Task CheckReferencesAsync(AgentFilter filter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var references = References(filter);
        if (references.Count == 0)
        {
            return;
        }

        await using var batch = await PreparedBatch.OpenAsync(_dataSource, ct);
        batch.Add(CatalogReferences.Command(references.Select(r => r.Id)));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await CatalogReferences.CheckAsync(reader, references, ct);
    }

    private static void CheckStatuses(AgentFilter filter)
    {
        if (filter.Statuses.Count == 0)
        {
            throw new ArgumentException("At least one status is needed.", nameof(filter));
        }
    }

    private static List<(EntityType Type, Guid Id)> References(AgentFilter filter)
    {
        var references = new List<(EntityType, Guid)>();
        if (filter.Industry is { } industry)
        {
            references.Add((EntityType.Industry, industry));
        }

        references.AddRange(filter.Skills.Distinct().Select(s => (EntityType.Skill, s)));
        if (filter.JobRole is { } jobRole)
        {
            references.Add((EntityType.JobRole, jobRole));
        }

        if (filter.Team is { } team)
        {
            references.Add((EntityType.Team, team));
        }

        return references;
    }

    private static CursorValueKind KeyKind(AgentSort sort) => sort switch
    {
        AgentSort.Name or AgentSort.NameDescending => CursorValueKind.Text,
        AgentSort.Price or AgentSort.PriceDescending => CursorValueKind.Decimal,
        _ => CursorValueKind.Timestamp,
    };

    private static CursorPosition Position(AgentSort sort, object key, Guid id) => KeyKind(sort) switch
    {
        CursorValueKind.Text => CursorPosition.AfterText((string)key, id),
        CursorValueKind.Decimal => CursorPosition.AfterDecimal((decimal)key, id),
        _ => CursorPosition.AfterTimestamp((DateTime)key, id),
    };

    /// <summary>
    /// The page: the ids come first from a CTE that filters, orders and limits (using the indexes), and only the
    /// page's rows are joined to what they refer to.
    /// </summary>
    private static NpgsqlBatchCommand PageCommand(AgentFilter filter, AgentSort sort, int take, CursorPosition? after)
    {
        var (key, direction) = sort switch
        {
            AgentSort.Name => ("lower(v.name)", "asc"),
            AgentSort.NameDescending => ("lower(v.name)", "desc"),
            AgentSort.Price => ("a.price_per_hour", "asc"),
            AgentSort.PriceDescending => ("a.price_per_hour", "desc"),
            _ => ("e.created_at", "desc"),
        };

        var command = new NpgsqlBatchCommand();
        var sql = new StringBuilder($"""
            with page as (
                select v.entity_id, v.version_id, {key} as sort_key
                from catalog.entity_version v
                join catalog.agent a on a.version_id = v.version_id
                {(sort == AgentSort.Newest ? "join catalog.entity e on e.entity_id = v.entity_id" : "")}
                where v.is_current and v.entity_type = 'agent'
            """);
        AgentFilterSql.Append(sql, command.Parameters, filter);
        if (after is not null)
        {
            // Row comparison: strictly after the last row of the previous page in this order, ties broken by id.
            sql.Append(direction == "asc" ? $" and ({key}, v.entity_id) > (@after_key, @after_id)" : $" and ({key}, v.entity_id) < (@after_key, @after_id)");
            command.Parameters.AddWithValue("after_key", after.Value);
            command.Parameters.AddWithValue("after_id", after.Id);
        }

        sql.Append($"""

                order by {key} {direction}, v.entity_id {direction}
                limit @take
            )
            select p.sort_key, {ViewColumnsSql}
            {ViewFromSql}
            order by p.sort_key {direction}, p.entity_id {direction}
            """);
        command.Parameters.AddWithValue("take", take);
        command.CommandText = sql.ToString();
        return command;
    }

    private static NpgsqlBatchCommand ByIdsCommand(IReadOnlyList<Guid> ids, AgentFilter filter)
    {
        var command = new NpgsqlBatchCommand();
        var sql = new StringBuilder("""
            with page as (
                select v.entity_id, v.version_id
                from catalog.entity_version v
                join catalog.agent a on a.version_id = v.version_id
                where v.is_current and v.entity_type = 'agent' and v.entity_id = any(@ids)
            """);
        AgentFilterSql.Append(sql, command.Parameters, filter);
        sql.Append($"""

            )
            select {ViewColumnsSql}
            {ViewFromSql}
            """);
        command.Parameters.AddWithValue("ids", ids.Distinct().ToArray());
        command.CommandText = sql.ToString();
        return command;
    }

    /// <summary>
    /// A row of <see cref="ViewColumnsSql"/>, and of a page query's sort key before them (null otherwise: a text,
    /// decimal or timestamp by the sort). Dapper.AOT generates its parser, which binds columns by name.
    /// </summary>
    internal sealed record AgentRow(
        object? SortKey,
        Guid EntityId,
        string Name,
        string Description,
        string Status,
        string CertificationStatus,
        DateTimeOffset? CertifiedAt,
        string? CertificateRef,
        int Version,
        DateTimeOffset CreatedAt,
        DateTimeOffset UpdatedAt,
        string[] Tags,
        string Availability,
        decimal PricePerHour,
        string Currency,
        Guid IndustryId,
        string? IndustryName,
        string? IndustryCode,
        Guid? JobRoleId,
        string? JobRoleName,
        string? JobRoleSeniority,
        Guid? TeamId,
        string? TeamName,
        Guid[] SkillIds,
        string[] SkillNames,
        string[] SkillCategories)
    {
        public AgentView ToView() => new(
            Id: EntityId,
            Name: Name,
            Description: Description,
            Status: AgentFilterSql.ListingStatus(Status, CertificationStatus),
            Lifecycle: Status,
            Availability: Availability,
            PricePerHour: PricePerHour,
            Currency: Currency,
            Industry: new IndustryRef(IndustryId, IndustryName, IndustryCode),
            JobRole: JobRoleId is { } jobRole ? new JobRoleRef(jobRole, JobRoleName, JobRoleSeniority) : null,
            Team: TeamId is { } team ? new EntityRef(team, TeamName ?? "") : null,
            Skills: [.. SkillIds.Select((id, i) => new SkillRef(id, SkillNames[i], SkillCategories[i]))],
            Certification: new Certification(CertificationStatus, CertifiedAt, CertificateRef),
            Version: Version,
            CreatedAt: CreatedAt,
            UpdatedAt: UpdatedAt,
            Tags: Tags);
    }
}

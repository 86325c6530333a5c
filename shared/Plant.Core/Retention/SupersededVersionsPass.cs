using Dapper;
using Npgsql;
using Plant.Core.Data;

namespace Plant.Core.Retention;

/// <summary>
/// Entity versions superseded before the cutoff (their successor was written before it) that nothing keeps: not
/// current, never certified, no certificate, not a trial's (trials go whole), not written by the seed. Each goes
/// with what belongs to it (its subtype row, its skill and member links, its free relationships); the successor
/// loses its <c>supersedes</c> link and says so (<c>predecessor_purged</c>, V0007), keeping the content hash of what
/// it replaced in <c>previous_hash</c>.
/// </summary>
internal sealed class SupersededVersionsPass(DateTimeOffset? cutoff, IReadOnlyList<string> protectedCreators) : PurgePass
{
    // The superseding version's created_at is when the old one was superseded. Both rows are locked: the old one
    // to delete it, its successor to unlink it; either held by a user transaction leaves the pair for the next run.
    // A chain goes oldest first: a version whose own predecessor is still there and purgeable waits for it, so
    // that no version is left behind without a successor to date it. Batches therefore start from the beginning
    // each time (no keyset): each one that selects anything removes it, and the pass ends on an empty batch.
    private const string SelectSql = """
        select v.version_id
        from catalog.entity_version w
        join catalog.entity_version v on v.version_id = w.supersedes
        join catalog.entity e on e.entity_id = v.entity_id
        where w.supersedes is not null and w.created_at < @cutoff
          and not v.is_current
          and v.entity_type <> 'trial'
          and v.certification_status <> 'certified'
          and e.created_by <> all(@protectedCreators)
          and not exists (select 1 from catalog.certificate c where c.version_id = v.version_id)
          and not exists (
              select 1 from catalog.entity_version p
              where p.version_id = v.supersedes
                and p.certification_status <> 'certified'
                and not exists (select 1 from catalog.certificate c where c.version_id = p.version_id))
        order by w.created_at, w.version_id
        limit @limit
        for update of v, w skip locked
        """;

    private const string CountSql = """
        with doomed as materialized (
            select v.version_id
            from catalog.entity_version w
            join catalog.entity_version v on v.version_id = w.supersedes
            join catalog.entity e on e.entity_id = v.entity_id
            where w.supersedes is not null and w.created_at < @cutoff
              and not v.is_current
              and v.entity_type <> 'trial'
              and v.certification_status <> 'certified'
              and e.created_by <> all(@protectedCreators)
              and not exists (select 1 from catalog.certificate c where c.version_id = v.version_id)
        )
        select (select count(*) from doomed) as versions,
               (select count(*) from catalog.job_role_skill x join doomed d on d.version_id = x.job_role_version_id) as job_role_skills,
               (select count(*) from catalog.agent_skill x join doomed d on d.version_id = x.agent_version_id) as agent_skills,
               (select count(*) from catalog.team_member x join doomed d on d.version_id = x.team_version_id) as team_members,
               (select count(*) from catalog.relationship x join doomed d on d.version_id = x.version_id) as relationships,
               (select count(*) from catalog.industry x join doomed d on d.version_id = x.version_id) as industries,
               (select count(*) from catalog.skill x join doomed d on d.version_id = x.version_id) as skills,
               (select count(*) from catalog.job_role x join doomed d on d.version_id = x.version_id) as job_roles,
               (select count(*) from catalog.team x join doomed d on d.version_id = x.version_id) as teams,
               (select count(*) from catalog.agent x join doomed d on d.version_id = x.version_id) as agents
        """;

    // Children before parents: links reference the subtype row, subtype rows and relationships the version.
    private static readonly (string Table, string Sql)[] s_deletes =
    [
        ("catalog.job_role_skill", "delete from catalog.job_role_skill where job_role_version_id = any(@ids)"),
        ("catalog.agent_skill", "delete from catalog.agent_skill where agent_version_id = any(@ids)"),
        ("catalog.team_member", "delete from catalog.team_member where team_version_id = any(@ids)"),
        ("catalog.relationship", "delete from catalog.relationship where version_id = any(@ids)"),
        ("catalog.industry", "delete from catalog.industry where version_id = any(@ids)"),
        ("catalog.skill", "delete from catalog.skill where version_id = any(@ids)"),
        ("catalog.job_role", "delete from catalog.job_role where version_id = any(@ids)"),
        ("catalog.team", "delete from catalog.team where version_id = any(@ids)"),
        ("catalog.agent", "delete from catalog.agent where version_id = any(@ids)"),
        ("catalog.entity_version", "delete from catalog.entity_version where version_id = any(@ids)"),
    ];

    private static readonly string[] s_tables = ["catalog.entity_version", .. s_deletes.Select(d => d.Table).Where(t => t != "catalog.entity_version")];

    private readonly string[] _protected = [.. protectedCreators];

    public override string Name => "superseded-versions";

    public override DateTimeOffset? Cutoff { get; } = cutoff;

    public override IReadOnlyList<string> Tables => s_tables;

    public override int InitialBatchSize => 200;

    public override int MaximumBatchSize => 5000;

    public override async Task<TableCounts> CountAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var counted = await connection.QuerySingleAsync<Counted>(CountSql, new { cutoff = Cutoff!.Value, protectedCreators = PgArray.Of(_protected), ct });
        return counted.ToCounts();
    }

    public override async Task<BatchResult> DeleteBatchAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int limit, CancellationToken ct)
    {
        var doomed = (await connection.QueryAsync<Guid>(
            SelectSql, new { cutoff = Cutoff!.Value, protectedCreators = PgArray.Of(_protected), limit, ct }, transaction)).ToArray();
        var counts = new TableCounts();
        if (doomed.Length == 0)
        {
            return new BatchResult(0, counts, Done: true);
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        // The successors that stay lose their link first, or the version they point at could not be deleted. A
        // successor that goes in this batch too keeps it: both rows leave in the same statement.
        var unlink = new NpgsqlBatchCommand("""
            update catalog.entity_version set supersedes = null, predecessor_purged = true
            where supersedes = any(@ids) and not (version_id = any(@ids))
            """);
        unlink.Parameters.AddWithValue("ids", doomed);
        batch.BatchCommands.Add(unlink);
        foreach (var (_, sql) in s_deletes)
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.AddWithValue("ids", doomed);
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(ct);
        for (var i = 0; i < s_deletes.Length; i++)
        {
            counts.Add(s_deletes[i].Table, batch.BatchCommands[i + 1].RecordsAffected);
        }

        return new BatchResult(doomed.Length, counts, Done: false);
    }

    /// <summary>The rows the count finds, per table.</summary>
    internal sealed record Counted(
        long Versions, long JobRoleSkills, long AgentSkills, long TeamMembers, long Relationships, long Industries, long Skills, long JobRoles, long Teams, long Agents)
    {
        public TableCounts ToCounts()
        {
            var counts = new TableCounts();
            counts.Add("catalog.entity_version", Versions);
            counts.Add("catalog.job_role_skill", JobRoleSkills);
            counts.Add("catalog.agent_skill", AgentSkills);
            counts.Add("catalog.team_member", TeamMembers);
            counts.Add("catalog.relationship", Relationships);
            counts.Add("catalog.industry", Industries);
            counts.Add("catalog.skill", Skills);
            counts.Add("catalog.job_role", JobRoles);
            counts.Add("catalog.team", Teams);
            counts.Add("catalog.agent", Agents);
            return counts;
        }
    }
}

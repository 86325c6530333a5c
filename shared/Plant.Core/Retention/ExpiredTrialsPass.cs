using System.Globalization;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using Plant.Core.Data;

namespace Plant.Core.Retention;

/// <summary>
/// Trials that ended (<c>ends_at</c>) or were cancelled (<c>cancelled_at</c>, V0005) before the cutoff, judged on
/// their current version, go whole: the entity, every version, their trial rows, their free relationships and
/// their Idempotency-Keys. A trial something still points at (a relationship targeting it, a certificate) stays.
/// </summary>
/// <remarks>
/// A trial is a catalog entity, and catalog.entity and catalog.entity_version are referenced by some twenty
/// foreign keys, each of which PostgreSQL checks with a query per deleted row. At a million trials those checks
/// are most of the work (docs/RETENTION.md has the figures). Where the role may, and <see cref="ReferenceGuard"/>
/// has confirmed that every foreign key onto those tables is one this pass accounts for, batches run with
/// <c>session_replication_role = replica</c>, which skips the checks: the pass deletes everything that may point
/// at a trial itself, and checks what it may not delete (relationships, certificates) after it holds the trial's
/// row lock, so that nothing can start pointing at it before it is gone. Otherwise the checks run as usual.
/// <para>
/// The pass splits into lanes that may run at once on their own connections (<see cref="Split"/>): lane k of n
/// takes the trials whose current version id's last byte is k modulo n (random in a UUIDv7), so the lanes never
/// select the same trial and share the work evenly, each walking the same index and skipping the others' rows.
/// </para>
/// </remarks>
internal sealed class ExpiredTrialsPass(DateTimeOffset? cutoff, IReadOnlyList<string> protectedCreators, bool skipForeignKeyChecks, int lane = 0, int lanes = 1)
    : PurgePass
{
    // Selection and locking: the current version's trial row decides; the keyset (time, version_id) walks the
    // index so that no batch scans past what earlier batches removed. The entity row is the trial's lock: anything
    // that writes a version of it or points at it takes a share lock on that row first, so a trial someone is
    // writing to or about right now is skipped, not waited for.
    private const string SelectSql = """
        select e.entity_id, t.{0}, t.version_id
        from catalog.trial t
        join catalog.entity_version v on v.version_id = t.version_id
        join catalog.entity e on e.entity_id = v.entity_id
        where t.{0} < @cutoff {1} {2}
          and v.is_current
          and e.entity_type = 'trial'
          and e.created_by <> all(@protectedCreators)
        order by t.{0}, t.version_id
        limit @limit
        for update of e skip locked
        """;

    // A batch is a few thousand trials out of possibly millions, but the planner, costing random reads at four
    // times sequential ones, answers "= any(@ids)" and the keyset walk with whole-table scans, hash joins and a sort
    // of every expired trial: each batch then costs as much as the table is large, and a million trials take
    // quadratic time. Index lookups are what these statements need at any table size, so the batch's transaction
    // rules the other plans out (they stay possible, only priced out, if no index fits).
    private const string IndexPlansSql = """
        set local enable_seqscan = off; set local enable_bitmapscan = off; set local enable_sort = off;
        set local enable_hashjoin = off; set local enable_mergejoin = off
        """;

    private const string AfterClause = "and (t.{0}, t.version_id) > (@after_at, @after_id)";

    private const string LaneClause = "and get_byte(uuid_send(t.version_id), 15) % @lanes = @lane";

    // Runs after the selection's locks are held, in a new snapshot: a relationship or certificate committed in
    // between is seen here, and one that would be added now has to wait for the trial's row lock, then fails.
    // Each row is found once: the ids come from the selection (their entity rows are locked by this transaction,
    // so they exist), and the versions are deleted by entity and return their ids for the rows that hang off
    // them, rather than being looked up first and deleted by primary key after (auto_explain put each extra
    // index descent at about 5 µs a trial, a quarter of the statement).
    private const string DeleteSql = """
        with doomed as materialized (
            select d.entity_id from unnest(@ids) as d(entity_id)
            where not exists (select 1 from catalog.relationship r where r.target_id = d.entity_id)
              and not exists (select 1 from catalog.certificate c where c.entity_id = d.entity_id)
        ), removed_versions as (
            delete from catalog.entity_version v using doomed d where v.entity_id = d.entity_id returning v.version_id
        ), keys as (
            delete from plant_agents.idempotency_key k using doomed d where k.trial_id = d.entity_id returning 1
        ), links as (
            delete from catalog.relationship r using removed_versions s where r.version_id = s.version_id returning 1
        ), trials as (
            delete from catalog.trial t using removed_versions s where t.version_id = s.version_id returning 1
        ), entities as (
            delete from catalog.entity e using doomed d where e.entity_id = d.entity_id returning 1
        )
        select (select count(*) from entities) as entities, (select count(*) from removed_versions) as versions,
               (select count(*) from trials) as trials, (select count(*) from keys) as keys, (select count(*) from links) as links
        """;

    private const string CountSql = """
        with doomed as materialized (
            select distinct e.entity_id
            from catalog.trial t
            join catalog.entity_version v on v.version_id = t.version_id
            join catalog.entity e on e.entity_id = v.entity_id
            where (t.ends_at < @cutoff or t.cancelled_at < @cutoff)
              and v.is_current
              and e.entity_type = 'trial'
              and e.created_by <> all(@protectedCreators)
              and not exists (select 1 from catalog.relationship r where r.target_id = e.entity_id)
              and not exists (select 1 from catalog.certificate c where c.entity_id = e.entity_id)
        ), versions as materialized (
            select v.version_id from catalog.entity_version v join doomed d on d.entity_id = v.entity_id
        )
        select (select count(*) from doomed) as entities,
               (select count(*) from versions) as versions,
               (select count(*) from catalog.trial t join versions s on s.version_id = t.version_id) as trials,
               (select count(*) from plant_agents.idempotency_key k join doomed d on d.entity_id = k.trial_id) as keys,
               (select count(*) from catalog.relationship r join versions s on s.version_id = r.version_id) as links
        """;

    private static readonly string[] s_tables =
        ["catalog.trial", "catalog.entity", "catalog.entity_version", "plant_agents.idempotency_key", "catalog.relationship"];

    private readonly string[] _protected = [.. protectedCreators];

    // First every trial that ended before the cutoff, then those cancelled before it whose end is still to come.
    private string _clock = "ends_at";
    private (DateTime At, Guid Id)? _after;

    public override string Name => "expired-trials";

    public override DateTimeOffset? Cutoff { get; } = cutoff;

    public override IReadOnlyList<string> Tables => s_tables;

    /// <summary>Whether batches skip PostgreSQL's foreign key checks (<see cref="ReferenceGuard"/>).</summary>
    public bool SkipsForeignKeyChecks { get; } = skipForeignKeyChecks;

    public override IReadOnlyList<PurgePass> Split(int count) =>
        [.. Enumerable.Range(0, count).Select(k => new ExpiredTrialsPass(Cutoff, _protected, SkipsForeignKeyChecks, k, count))];

    public override async Task<TableCounts> CountAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var counted = await connection.QuerySingleAsync<Counted>(CountSql, new { cutoff = Cutoff!.Value, protectedCreators = PgArray.Of(_protected), ct });
        return counted.ToCounts();
    }

    public override async Task<BatchResult> DeleteBatchAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int limit, CancellationToken ct)
    {
        // Dapper.AOT needs the text as a constant when the call carries the token: one call per text.
        if (SkipsForeignKeyChecks)
        {
            await connection.ExecuteAsync(IndexPlansSql + "; set local session_replication_role = replica", new { ct }, transaction);
        }
        else
        {
            await connection.ExecuteAsync(IndexPlansSql, new { ct }, transaction);
        }

        var ids = new List<Guid>(limit);
        var after = _after is null ? "" : string.Format(CultureInfo.InvariantCulture, AfterClause, _clock);
        // The text is built per batch (clock column, keyset, lane) and the keyset time goes as a timestamptz-typed
        // DateTime, neither of which Dapper.AOT can generate: the selection stays on Npgsql.
        await using (var select = new NpgsqlCommand(
            string.Format(CultureInfo.InvariantCulture, SelectSql, _clock, after, lanes > 1 ? LaneClause : ""), connection, transaction))
        {
            select.Parameters.AddWithValue("cutoff", Cutoff!.Value);
            select.Parameters.AddWithValue("protectedCreators", _protected);
            select.Parameters.AddWithValue("limit", limit);
            if (lanes > 1)
            {
                select.Parameters.AddWithValue("lane", lane);
                select.Parameters.AddWithValue("lanes", lanes);
            }

            if (_after is { } last)
            {
                select.Parameters.Add(new NpgsqlParameter<DateTime>("after_at", NpgsqlDbType.TimestampTz) { TypedValue = last.At });
                select.Parameters.AddWithValue("after_id", last.Id);
            }

            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                ids.Add(reader.GetGuid(0));
                _after = (reader.GetFieldValue<DateTime>(1), reader.GetGuid(2));
            }
        }

        var counts = new TableCounts();
        if (ids.Count > 0)
        {
            var deleted = await connection.QuerySingleAsync<Counted>(DeleteSql, new { ids = PgArray.Of(ids), ct }, transaction);
            counts = deleted.ToCounts();
        }

        if (SkipsForeignKeyChecks)
        {
            await connection.ExecuteAsync("set local session_replication_role = origin", new { ct }, transaction);
        }

        if (ids.Count < limit && _clock == "ends_at")
        {
            _clock = "cancelled_at";
            _after = null;
            return new BatchResult(ids.Count, counts, Done: false);
        }

        return new BatchResult(ids.Count, counts, Done: ids.Count < limit);
    }

    /// <summary>The rows a batch deletes (or the count finds), per table.</summary>
    internal sealed record Counted(long Entities, long Versions, long Trials, long Keys, long Links)
    {
        public TableCounts ToCounts()
        {
            var counts = new TableCounts();
            counts.Add("catalog.entity", Entities);
            counts.Add("catalog.entity_version", Versions);
            counts.Add("catalog.trial", Trials);
            counts.Add("plant_agents.idempotency_key", Keys);
            counts.Add("catalog.relationship", Links);
            return counts;
        }
    }
}

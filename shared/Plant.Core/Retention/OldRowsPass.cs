using Npgsql;

namespace Plant.Core.Retention;

/// <summary>
/// Bookkeeping rows that nothing else refers to and that simply expire with their own time column: the host's
/// timer runs and Cloud Scheduler de-duplication records, the migration log, run records and spent approvals.
/// The tables belong to the host and to the migration engine, which create them on first use, so a pass whose
/// table does not exist yet is skipped.
/// </summary>
internal sealed class OldRowsPass : PurgePass
{
    private readonly string _table;
    private readonly string _key;
    private readonly string _where;

    /// <param name="name">The step's name.</param>
    /// <param name="table">The schema-qualified table (a constant of this assembly, never input).</param>
    /// <param name="key">Its key column(s), comma-separated.</param>
    /// <param name="where">Which rows expire, over alias <c>x</c>, with <c>@cutoff</c>.</param>
    /// <param name="cutoff">The cutoff; null skips the pass.</param>
    private OldRowsPass(string name, string table, string key, string where, DateTimeOffset? cutoff)
    {
        Name = name;
        _table = table;
        _key = key;
        _where = where;
        Cutoff = cutoff;
        Tables = [table];
    }

    public override string Name { get; }

    public override DateTimeOffset? Cutoff { get; }

    public override IReadOnlyList<string> Tables { get; }

    public override int InitialBatchSize => 5000;

    /// <summary>Timer runs that finished before the cutoff (the schedule's state, timer_status, is never purged).</summary>
    public static OldRowsPass TimerRuns(DateTimeOffset? cutoff) =>
        new("timer-runs", "plant_host.timer_runs", "id", "x.finished_at < @cutoff", cutoff);

    /// <summary>
    /// Cloud Scheduler deliveries received before the cutoff. They exist so that a retry of the same delivery does not
    /// run the timer twice; Cloud Scheduler gives up retrying within hours, long before any retention ends.
    /// </summary>
    public static OldRowsPass SchedulerDeliveries(DateTimeOffset? cutoff) =>
        new("scheduler-deliveries", "plant_host.scheduler_deliveries", "job_name, schedule_time", "x.received_at < @cutoff", cutoff);

    /// <summary>Migration log lines before the cutoff. The history of applied versions is never purged.</summary>
    public static OldRowsPass MigrationLog(DateTimeOffset? cutoff) =>
        new("migration-log", "plant_migrations.log", "id", "x.logged_at < @cutoff", cutoff);

    /// <summary>Migration run records that finished before the cutoff.</summary>
    public static OldRowsPass MigrationRuns(DateTimeOffset? cutoff) =>
        new("migration-runs", "plant_migrations.runs", "id", "x.finished_at < @cutoff", cutoff);

    /// <summary>Approvals that expired before the cutoff and that no remaining run record names.</summary>
    public static OldRowsPass MigrationApprovals(DateTimeOffset? cutoff) =>
        new("migration-approvals", "plant_migrations.approvals", "id",
            "x.expires_at < @cutoff and not exists (select 1 from plant_migrations.runs r where r.approval_id = x.id)", cutoff);

    public override async Task<TableCounts> CountAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var counts = new TableCounts();
        counts.Add(_table, await CountAsync(connection, $"select count(*) from {_table} x where {_where}", Cutoff!.Value, ct));
        return counts;
    }

    public override async Task<BatchResult> DeleteBatchAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int limit, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"""
            delete from {_table}
            where ({_key}) in (select {_key} from {_table} x where {_where} limit @limit for update of x skip locked)
            """,
            connection,
            transaction);
        command.Parameters.AddWithValue("cutoff", Cutoff!.Value);
        command.Parameters.AddWithValue("limit", limit);
        var deleted = await command.ExecuteNonQueryAsync(ct);
        var counts = new TableCounts();
        counts.Add(_table, deleted);
        return new BatchResult(deleted, counts, deleted < limit);
    }
}

using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace Plant.Hosting.Timers;

/// <summary>A timer's schedule state, shared by every instance through PostgreSQL.</summary>
internal sealed record TimerStatusRow(DateTimeOffset? Last, DateTimeOffset Next, DateTimeOffset LastUpdated);

/// <summary>
/// The host's own bookkeeping in PostgreSQL (schema <c>plant_host</c>): timer schedule status, timer runs and
/// Cloud Scheduler deliveries. Like the Azure host's storage account, it is the host's, not the catalog's, so the
/// host creates it itself, idempotently, the first time it needs it, unless it is there already: migration V0008
/// creates the same tables for hosts whose database user may create nothing (role <c>plant_app</c>).
/// </summary>
internal sealed class HostStore(NpgsqlDataSource dataSource)
{
    // Advisory lock keys are (namespace, key) pairs; this namespace keeps timer locks apart from the migration lock.
    internal const int TimerLockNamespace = 0x706C_6E74;

    // The lock's namespace is a parameter: hexadecimal literals such as 0x706C6E74 need PostgreSQL 16.
    // Migration V0008 (Plant.Core) creates the same tables: change both together; a test compares them.
    private const string SchemaSql = """
        select pg_advisory_xact_lock(@ns, 0);
        create schema if not exists plant_host;
        create table if not exists plant_host.timer_status (
            function_name   text primary key,
            last_occurrence timestamptz,
            next_occurrence timestamptz not null,
            last_updated    timestamptz not null);
        create table if not exists plant_host.timer_runs (
            id             bigint generated always as identity primary key,
            function_name  text not null,
            invocation_id  uuid not null,
            trigger        text not null check (trigger in ('schedule', 'catch-up', 'startup', 'admin')),
            scheduled_for  timestamptz,
            started_at     timestamptz not null,
            finished_at    timestamptz not null,
            succeeded      boolean not null,
            error          text);
        create index if not exists timer_runs_by_function on plant_host.timer_runs (function_name, started_at desc);
        create table if not exists plant_host.scheduler_deliveries (
            job_name      text not null,
            schedule_time text not null,
            function_name text not null,
            invocation_id uuid not null,
            received_at   timestamptz not null default now(),
            finished_at   timestamptz,
            succeeded     boolean,
            primary key (job_name, schedule_time));
        """;

    // CREATE ... IF NOT EXISTS still needs the CREATE privilege, so a user without it (plant_app) must not run
    // SchemaSql at all once the tables exist. Counted in pg_catalog, which anyone may read.
    private const string ExistsSql = """
        select count(*) = 4 from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'plant_host' and c.relname in ('timer_status', 'timer_runs', 'timer_runs_by_function', 'scheduler_deliveries')
        """;

    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private bool _schemaReady;

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_schemaReady)
        {
            return;
        }

        await _schemaGate.WaitAsync(cancellationToken);
        try
        {
            if (!_schemaReady)
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                await using (var exists = new NpgsqlCommand(ExistsSql, connection))
                {
                    _schemaReady = (bool)(await exists.ExecuteScalarAsync(cancellationToken))!;
                }

                if (!_schemaReady)
                {
                    // The transaction-level advisory lock stops two instances racing on CREATE ... IF NOT EXISTS.
                    await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                    await using (var command = new NpgsqlCommand(SchemaSql, connection, transaction))
                    {
                        command.Parameters.AddWithValue("ns", TimerLockNamespace);
                        await command.ExecuteNonQueryAsync(cancellationToken);
                    }

                    await transaction.CommitAsync(cancellationToken);
                    _schemaReady = true;
                }
            }
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    /// <summary>
    /// Takes the timer's session-level advisory lock without waiting; null when another session holds it. The
    /// lease keeps the connection, and does the run's bookkeeping on it; if the process dies, PostgreSQL ends
    /// the session and frees the lock.
    /// </summary>
    public async Task<TimerLease?> TryLockTimerAsync(string function, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand("select pg_try_advisory_lock(@ns, @key)", connection);
            command.Parameters.AddWithValue("ns", TimerLockNamespace);
            command.Parameters.AddWithValue("key", LockKey(function));
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
            {
                return new TimerLease(connection, function);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    /// <summary>The status as last recorded; outside the lock it may change at any moment.</summary>
    public async Task<TimerStatusRow?> GetTimerStatusAsync(string function, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await TimerLease.ReadStatusAsync(connection, function, cancellationToken);
    }

    /// <summary>A stable 32-bit key per function name (FNV-1a); a collision only makes two timers take turns.</summary>
    internal static int LockKey(string function)
    {
        var hash = 2166136261;
        foreach (var b in Encoding.UTF8.GetBytes(function.ToUpperInvariant()))
        {
            hash = (hash ^ b) * 16777619;
        }

        return unchecked((int)hash);
    }
}

/// <summary>One finished timer run.</summary>
internal sealed record TimerRun(
    string Function, Guid InvocationId, string Trigger, DateTimeOffset Occurrence, DateTimeOffset Next,
    DateTimeOffset Started, DateTimeOffset Finished, string? Error);

/// <summary>A Cloud Scheduler delivery: the job and the schedule time it was sent for.</summary>
internal sealed record SchedulerDelivery(string JobName, string ScheduleTime);

/// <summary>
/// A held timer lock, and the bookkeeping that must happen under it, on the lock's own connection (so a run
/// needs one connection from the small pool, not two). Disposing it unlocks and returns the connection.
/// </summary>
internal sealed class TimerLease(NpgsqlConnection connection, string function) : IAsyncDisposable
{
    public Task<TimerStatusRow?> GetStatusAsync(CancellationToken cancellationToken) => ReadStatusAsync(connection, function, cancellationToken);

    /// <summary>
    /// Claims a Cloud Scheduler delivery; false when it already succeeded. One that failed, or whose runner died
    /// before recording it (it is unfinished, yet nobody else holds the lock), may be claimed again.
    /// </summary>
    public async Task<bool> TryClaimDeliveryAsync(SchedulerDelivery delivery, Guid invocationId, CancellationToken cancellationToken)
    {
        const string sql = """
            insert into plant_host.scheduler_deliveries as d (job_name, schedule_time, function_name, invocation_id)
            values (@job, @time, @name, @invocation)
            on conflict (job_name, schedule_time) do update
                set invocation_id = excluded.invocation_id, received_at = now(), finished_at = null, succeeded = null
                where d.succeeded is distinct from true
            returning 1
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("job", delivery.JobName);
        command.Parameters.AddWithValue("time", delivery.ScheduleTime);
        command.Parameters.AddWithValue("name", function);
        command.Parameters.AddWithValue("invocation", invocationId);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>
    /// Records a run, its Cloud Scheduler delivery if any, and the schedule status, in one implicit transaction
    /// (one batch). A run that did not complete (cut short by shutdown) leaves the status as it was, so that
    /// its occurrence is still due; for a timer that never ran before, that occurrence is written as due.
    /// </summary>
    public async Task RecordRunAsync(TimerRun run, bool completed, SchedulerDelivery? delivery, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        var status = new NpgsqlBatchCommand(completed
            ? """
              insert into plant_host.timer_status (function_name, last_occurrence, next_occurrence, last_updated)
              values (@name, @occurrence, @next, @finished)
              on conflict (function_name) do update
                  set last_occurrence = excluded.last_occurrence, next_occurrence = excluded.next_occurrence, last_updated = excluded.last_updated
              """
            : """
              insert into plant_host.timer_status (function_name, last_occurrence, next_occurrence, last_updated)
              values (@name, null, @occurrence, @finished)
              on conflict (function_name) do nothing
              """);
        status.Parameters.AddWithValue("name", run.Function);
        status.Parameters.AddWithValue("occurrence", run.Occurrence);
        status.Parameters.AddWithValue("next", run.Next);
        status.Parameters.AddWithValue("finished", run.Finished);
        batch.BatchCommands.Add(status);

        var insert = new NpgsqlBatchCommand("""
            insert into plant_host.timer_runs (function_name, invocation_id, trigger, scheduled_for, started_at, finished_at, succeeded, error)
            values (@name, @invocation, @trigger, @occurrence, @started, @finished, @succeeded, @error)
            """);
        insert.Parameters.AddWithValue("name", run.Function);
        insert.Parameters.AddWithValue("invocation", run.InvocationId);
        insert.Parameters.AddWithValue("trigger", run.Trigger);
        insert.Parameters.AddWithValue("occurrence", run.Occurrence);
        insert.Parameters.AddWithValue("started", run.Started);
        insert.Parameters.AddWithValue("finished", run.Finished);
        insert.Parameters.AddWithValue("succeeded", run.Error is null);
        insert.Parameters.Add(new NpgsqlParameter("error", NpgsqlDbType.Text) { Value = (object?)run.Error ?? DBNull.Value });
        batch.BatchCommands.Add(insert);

        if (delivery is not null)
        {
            var finish = new NpgsqlBatchCommand(
                "update plant_host.scheduler_deliveries set finished_at = now(), succeeded = @ok where job_name = @job and schedule_time = @time");
            finish.Parameters.AddWithValue("ok", run.Error is null);
            finish.Parameters.AddWithValue("job", delivery.JobName);
            finish.Parameters.AddWithValue("time", delivery.ScheduleTime);
            batch.BatchCommands.Add(finish);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var command = new NpgsqlCommand("select pg_advisory_unlock(@ns, @key)", connection);
            command.Parameters.AddWithValue("ns", HostStore.TimerLockNamespace);
            command.Parameters.AddWithValue("key", HostStore.LockKey(function));
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (NpgsqlException) when (connection.FullState.HasFlag(System.Data.ConnectionState.Broken))
        {
            // The session is gone, and PostgreSQL freed the lock with it; the broken connection leaves the pool.
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }

    internal static async Task<TimerStatusRow?> ReadStatusAsync(NpgsqlConnection connection, string function, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "select last_occurrence, next_occurrence, last_updated from plant_host.timer_status where function_name = @name", connection);
        command.Parameters.AddWithValue("name", function);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new TimerStatusRow(
            reader.IsDBNull(0) ? null : reader.GetFieldValue<DateTimeOffset>(0),
            reader.GetFieldValue<DateTimeOffset>(1),
            reader.GetFieldValue<DateTimeOffset>(2));
    }
}

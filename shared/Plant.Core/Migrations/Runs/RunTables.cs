using Dapper;
using Npgsql;

namespace Plant.Core.Migrations.Runs;

/// <summary>
/// The pipeline's tables beside the engine's history and log: <c>plant_migrations.approvals</c>,
/// <c>plant_migrations.runs</c> and <c>plant_migrations.runs_in_progress</c>. Like the history they belong to the engine, not to a migration: an approval must
/// exist before the migrations it approves, and a run that rolls its batch back must still be recorded.
/// </summary>
internal static class RunTables
{
    /// <summary>Every outcome a recorded run can have (docs/MIGRATIONS.md); a busy run is never recorded.</summary>
    private const string CreateSql = """
        create table if not exists plant_migrations.approvals (
            id             uuid        primary key,
            operation      text        not null default 'up',
            target_version integer     not null,
            plan_checksum  text        not null check (plan_checksum ~ '^[0-9a-f]{64}$'),
            versions       integer[]   not null,
            approved_by    text        not null check (length(btrim(approved_by)) between 1 and 200),
            note           text        check (length(note) <= 2000),
            created_at     timestamptz not null,
            expires_at     timestamptz not null check (expires_at > created_at),
            used_at        timestamptz,
            used_by_run    uuid,
            check ((used_at is null) = (used_by_run is null))
        );

        create table if not exists plant_migrations.runs (
            id            uuid        primary key,
            started_at    timestamptz not null,
            finished_at   timestamptz not null check (finished_at >= started_at),
            environment   text        not null,
            trigger       text        not null check (trigger in ('schedule', 'http', 'cli')),
            operation     text        not null check (operation in ('up', 'down')),
            outcome       text        not null check (outcome in ('succeeded', 'nothing-to-do', 'awaiting-approval', 'awaiting-operator', 'not-retried', 'refused', 'failed')),
            from_version  integer     not null,
            to_version    integer     not null,
            plan_checksum text        check (plan_checksum ~ '^[0-9a-f]{64}$'),
            failure_stage text        check (failure_stage in ('backup', 'migration', 'smoke-check', 'undo')),
            approval_id   uuid        references plant_migrations.approvals (id),
            message       text        not null,
            report        jsonb       not null check (jsonb_typeof(report) = 'object')
        );

        -- A run's row while it runs: what the runs table will say if its runner dies before recording an outcome.
        create table if not exists plant_migrations.runs_in_progress (
            id          uuid        primary key,
            started_at  timestamptz not null,
            environment text        not null,
            trigger     text        not null,
            operation   text        not null,
            from_version integer    not null,
            message     text        not null,
            report      jsonb       not null
        );

        -- Approvals made before rollbacks needed them were all up: 'up' is their operation.
        alter table plant_migrations.approvals add column if not exists operation text not null default 'up';
        alter table plant_migrations.approvals drop constraint if exists approvals_target_version_check;
        alter table plant_migrations.approvals drop constraint if exists approvals_operation_target;
        alter table plant_migrations.approvals add constraint approvals_operation_target
            check (operation = 'up' and target_version > 0 or operation = 'down' and target_version >= 0);

        alter table plant_migrations.runs drop constraint if exists runs_outcome_check;
        alter table plant_migrations.runs add constraint runs_outcome_check
            check (outcome in ('succeeded', 'nothing-to-do', 'awaiting-approval', 'awaiting-operator', 'not-retried', 'refused', 'failed', 'interrupted'));

        create index if not exists runs_started on plant_migrations.runs (started_at desc);
        create index if not exists runs_plan on plant_migrations.runs (plan_checksum, started_at desc) where plan_checksum is not null;

        -- A log made before approvals existed rejects the 'approve' operation.
        alter table plant_migrations.log drop constraint if exists log_operation_check;
        alter table plant_migrations.log add constraint log_operation_check
            check (operation in ('status', 'plan', 'up', 'down', 'seed', 'approve'));
        """;

    /// <summary>
    /// Creates the engine's schema when it is absent, and the run tables when they are or lack their newest parts
    /// (the in-progress table, the approvals' operation); called under the migration lock, so two runners never race on it.
    /// </summary>
    public static async Task EnsureAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        const string Current = """
            select to_regnamespace('plant_migrations') is not null as schema,
                   to_regclass('plant_migrations.runs_in_progress') is not null
                   and exists (select from pg_attribute where attrelid = to_regclass('plant_migrations.approvals') and attname = 'operation') as runs
            """;
        var current = await connection.QuerySingleAsync<Present>(Current, new { ct });
        if (current.Schema && current.Runs)
        {
            return;
        }

        if (!current.Schema)
        {
            await MigrationHistory.CreateAsync(connection, ct);
        }

        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(CreateSql, new { ct }, transaction);

        await transaction.CommitAsync(ct);
    }

    /// <summary>Whether the run tables exist yet; readers outside the lock answer "none" until they do.</summary>
    public static async Task<bool> ExistAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        return await connection.ExecuteScalarAsync<bool>("select to_regclass('plant_migrations.runs') is not null", new { ct });
    }

    /// <summary>Whether the engine's schema exists, and whether the run tables have their newest parts.</summary>
    internal sealed record Present(bool Schema, bool Runs);
}

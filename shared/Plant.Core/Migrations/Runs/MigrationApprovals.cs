using Dapper;
using Npgsql;
using Plant.Core.Data;

namespace Plant.Core.Migrations.Runs;

/// <summary>Reads and writes <c>plant_migrations.approvals</c>.</summary>
internal static class MigrationApprovals
{
    // The status and plan reads take no lock, so they may find the table as an older build made it, before the next run
    // adds the operation column (RunTables): its rows were all approvals to go up.
    private const string Columns =
        "id, coalesce(to_jsonb(a) ->> 'operation', 'up') as operation, target_version, plan_checksum, versions, approved_by, note, created_at, expires_at, used_at, used_by_run";

    public static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, MigrationApproval approval, CancellationToken ct)
    {
        const string Sql = """
            insert into plant_migrations.approvals (id, operation, target_version, plan_checksum, versions, approved_by, note, created_at, expires_at)
            values (@id, @operation, @target, @checksum, @versions, @approvedBy, @note, @createdAt, @expiresAt)
            """;
        var args = new
        {
            id = approval.Id,
            operation = MigrationRuns.Name(approval.Operation),
            target = approval.TargetVersion,
            checksum = approval.PlanChecksum,
            versions = PgArray.Of(approval.Versions),
            approvedBy = approval.ApprovedBy,
            note = approval.Note,
            createdAt = approval.CreatedAt,
            expiresAt = approval.ExpiresAt,
            ct,
        };
        await connection.ExecuteAsync(Sql, args, transaction);
    }

    public static async Task<MigrationApproval?> FindAsync(NpgsqlConnection connection, Guid id, CancellationToken ct)
    {
        var row = await connection.QueryFirstOrDefaultAsync<ApprovalRow>($"select {Columns} from plant_migrations.approvals a where id = @id", new { id, ct });
        return row?.ToApproval();
    }

    /// <summary>The approvals that can still be used at <paramref name="now"/>, newest first.</summary>
    public static async Task<IReadOnlyList<MigrationApproval>> ReadOpenAsync(NpgsqlConnection connection, DateTimeOffset now, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<ApprovalRow>(
            $"select {Columns} from plant_migrations.approvals a where used_at is null and expires_at > @now order by created_at desc, id",
            new { now, ct });
        return [.. rows.Select(r => r.ToApproval())];
    }

    /// <summary>The most recent approvals, newest first, whatever their state.</summary>
    public static async Task<IReadOnlyList<MigrationApproval>> ReadRecentAsync(NpgsqlConnection connection, int count, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<ApprovalRow>(
            $"select {Columns} from plant_migrations.approvals a order by created_at desc, id limit @count", new { count, ct });
        return [.. rows.Select(r => r.ToApproval())];
    }

    /// <summary>
    /// Marks the approval used by <paramref name="runId"/>, if it is still open. Called under the migration lock,
    /// right before the first script runs, so no other run can use it too.
    /// </summary>
    public static async Task<bool> TryUseAsync(NpgsqlConnection connection, Guid id, Guid runId, DateTimeOffset now, CancellationToken ct)
    {
        const string Sql = """
            update plant_migrations.approvals set used_at = @now, used_by_run = @run
            where id = @id and used_at is null and expires_at > @now
            """;
        return await connection.ExecuteAsync(Sql, new { id, run = runId, now, ct }) == 1;
    }

    /// <summary>An approval row as stored: the operation as text.</summary>
    internal sealed record ApprovalRow(
        Guid Id,
        string Operation,
        int TargetVersion,
        string PlanChecksum,
        int[] Versions,
        string ApprovedBy,
        string? Note,
        DateTimeOffset CreatedAt,
        DateTimeOffset ExpiresAt,
        DateTimeOffset? UsedAt,
        Guid? UsedByRun)
    {
        public MigrationApproval ToApproval() => new(
            Id, Operation == "down" ? MigrationOperation.Down : MigrationOperation.Up, TargetVersion, PlanChecksum, Versions, ApprovedBy, Note, CreatedAt, ExpiresAt, UsedAt, UsedByRun);
    }
}

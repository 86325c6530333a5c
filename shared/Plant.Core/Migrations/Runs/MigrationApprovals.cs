using Npgsql;

namespace Plant.Core.Migrations.Runs;

/// <summary>Reads and writes <c>plant_migrations.approvals</c>.</summary>
internal static class MigrationApprovals
{
    // The status and plan reads take no lock, so they may find the table as an older build made it, before the next run
    // adds the operation column (RunTables): its rows were all approvals to go up.
    private const string Columns =
        "id, coalesce(to_jsonb(a) ->> 'operation', 'up'), target_version, plan_checksum, versions, approved_by, note, created_at, expires_at, used_at, used_by_run";

    public static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, MigrationApproval approval, CancellationToken ct)
    {
        const string Sql = """
            insert into plant_migrations.approvals (id, operation, target_version, plan_checksum, versions, approved_by, note, created_at, expires_at)
            values (@id, @operation, @target, @checksum, @versions, @approvedBy, @note, @createdAt, @expiresAt)
            """;
        await using var command = new NpgsqlCommand(Sql, connection, transaction);
        command.Parameters.AddWithValue("id", approval.Id);
        command.Parameters.AddWithValue("operation", MigrationRuns.Name(approval.Operation));
        command.Parameters.AddWithValue("target", approval.TargetVersion);
        command.Parameters.AddWithValue("checksum", approval.PlanChecksum);
        command.Parameters.AddWithValue("versions", approval.Versions.ToArray());
        command.Parameters.AddWithValue("approvedBy", approval.ApprovedBy);
        command.Parameters.AddWithValue("note", (object?)approval.Note ?? DBNull.Value);
        command.Parameters.AddWithValue("createdAt", approval.CreatedAt);
        command.Parameters.AddWithValue("expiresAt", approval.ExpiresAt);
        await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task<MigrationApproval?> FindAsync(NpgsqlConnection connection, Guid id, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select {Columns} from plant_migrations.approvals a where id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        var rows = await ReadAsync(command, ct);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>The approvals that can still be used at <paramref name="now"/>, newest first.</summary>
    public static async Task<IReadOnlyList<MigrationApproval>> ReadOpenAsync(NpgsqlConnection connection, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select {Columns} from plant_migrations.approvals a where used_at is null and expires_at > @now order by created_at desc, id",
            connection);
        command.Parameters.AddWithValue("now", now);
        return await ReadAsync(command, ct);
    }

    /// <summary>The most recent approvals, newest first, whatever their state.</summary>
    public static async Task<IReadOnlyList<MigrationApproval>> ReadRecentAsync(NpgsqlConnection connection, int count, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select {Columns} from plant_migrations.approvals a order by created_at desc, id limit @count", connection);
        command.Parameters.AddWithValue("count", count);
        return await ReadAsync(command, ct);
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
        await using var command = new NpgsqlCommand(Sql, connection);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("now", now);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    private static async Task<IReadOnlyList<MigrationApproval>> ReadAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<MigrationApproval>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new MigrationApproval(
                reader.GetGuid(0),
                reader.GetString(1) == "down" ? MigrationOperation.Down : MigrationOperation.Up,
                reader.GetInt32(2),
                reader.GetString(3),
                reader.GetFieldValue<int[]>(4),
                reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetFieldValue<DateTimeOffset>(7),
                reader.GetFieldValue<DateTimeOffset>(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
                reader.IsDBNull(10) ? null : reader.GetGuid(10)));
        }

        return rows;
    }
}

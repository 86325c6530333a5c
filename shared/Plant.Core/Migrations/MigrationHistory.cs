using Npgsql;

namespace Plant.Core.Migrations;

/// <summary>One row of <c>plant_migrations.history</c>.</summary>
public sealed record AppliedMigration(
    int Version,
    string Description,
    string Checksum,
    DateTimeOffset AppliedAt,
    string AppliedBy,
    int DurationMs,
    bool Success,
    string? FailedStatement,
    string? Error);

/// <summary>
/// The engine's own tables in schema <c>plant_migrations</c>: <c>history</c> (one row per applied version) and
/// <c>log</c> (one line per operation). They are created by the first up or down, not by a migration, so that
/// down to zero keeps the record of what happened.
/// </summary>
internal static class MigrationHistory
{
    public const string Schema = "plant_migrations";

    private const string CreateSql = """
        create schema plant_migrations;

        create table plant_migrations.history (
            version          integer     primary key check (version > 0),
            description      text        not null,
            checksum         text        not null check (checksum ~ '^[0-9a-f]{64}$'),
            applied_at       timestamptz not null default now(),
            applied_by       text        not null,
            duration_ms      integer     not null check (duration_ms >= 0),
            success          boolean     not null,
            failed_statement text,
            error            text
        );

        create table plant_migrations.log (
            id           bigint      generated always as identity primary key,
            logged_at    timestamptz not null default now(),
            environment  text        not null,
            operation    text        not null check (operation in ('status', 'plan', 'up', 'down', 'seed', 'approve')),
            from_version integer,
            to_version   integer,
            outcome      text        not null check (outcome in ('SUCCESS', 'FAILED')),
            duration_ms  integer     not null check (duration_ms >= 0),
            message      text
        );
        """;

    /// <summary>
    /// The history, oldest version first; null only when the schema does not exist at all (an empty database).
    /// </summary>
    /// <exception cref="MigrationException">
    /// The schema exists but the history cannot be read (no permission, table missing, wrong columns or types):
    /// the engine fails closed rather than assume version 0 and run every migration again.
    /// </exception>
    public static async Task<IReadOnlyList<AppliedMigration>?> ReadAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        try
        {
            await using (var exists = new NpgsqlCommand("select to_regnamespace('plant_migrations') is not null", connection))
            {
                if (!(bool)(await exists.ExecuteScalarAsync(ct))!)
                {
                    return null;
                }
            }

            const string Sql = """
                select version, description, checksum, applied_at, applied_by, duration_ms, success, failed_statement, error
                from plant_migrations.history
                order by version
                """;
            await using var command = new NpgsqlCommand(Sql, connection);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var rows = new List<AppliedMigration>();
            while (await reader.ReadAsync(ct))
            {
                rows.Add(new AppliedMigration(
                    reader.GetInt32(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.GetFieldValue<DateTimeOffset>(3),
                    reader.GetString(4),
                    reader.GetInt32(5),
                    reader.GetBoolean(6),
                    reader.IsDBNull(7) ? null : reader.GetString(7),
                    reader.IsDBNull(8) ? null : reader.GetString(8)));
            }

            return rows;
        }
        // A transient failure (the server restarting, out of connections) says nothing about the history: it is an outage.
        catch (Exception e) when (e is PostgresException { IsTransient: false } or InvalidCastException)
        {
            var reason = e is PostgresException pg ? $"{pg.SqlState}: {pg.MessageText}" : e.Message;
            throw new MigrationException(
                $"The migration history (plant_migrations.history) exists but cannot be read ({reason}); refusing to run, as the database's version is unknown.",
                e);
        }
    }

    /// <summary>Creates the schema and its tables; called under the migration lock when the schema is absent.</summary>
    public static async Task CreateAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var command = new NpgsqlCommand(CreateSql, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
    }

    public static async Task InsertAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        Migration migration,
        string appliedBy,
        int durationMs,
        bool success,
        string? failedStatement,
        string? error,
        CancellationToken ct)
    {
        const string Sql = """
            insert into plant_migrations.history (version, description, checksum, applied_by, duration_ms, success, failed_statement, error)
            values (@version, @description, @checksum, @appliedBy, @durationMs, @success, @failedStatement, @error)
            """;
        await using var command = new NpgsqlCommand(Sql, connection, transaction);
        command.Parameters.AddWithValue("version", migration.Version);
        command.Parameters.AddWithValue("description", migration.Description);
        command.Parameters.AddWithValue("checksum", migration.Checksum);
        command.Parameters.AddWithValue("appliedBy", appliedBy);
        command.Parameters.AddWithValue("durationMs", durationMs);
        command.Parameters.AddWithValue("success", success);
        command.Parameters.AddWithValue("failedStatement", (object?)failedStatement ?? DBNull.Value);
        command.Parameters.AddWithValue("error", (object?)error ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task DeleteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, int version, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("delete from plant_migrations.history where version = @version", connection, transaction);
        command.Parameters.AddWithValue("version", version);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Marks an applied version failed (a down script outside a transaction stopped half-way).</summary>
    public static async Task MarkFailedAsync(NpgsqlConnection connection, int version, string failedStatement, string error, CancellationToken ct)
    {
        const string Sql = """
            update plant_migrations.history
            set success = false, failed_statement = @failedStatement, error = @error
            where version = @version
            """;
        await using var command = new NpgsqlCommand(Sql, connection);
        command.Parameters.AddWithValue("version", version);
        command.Parameters.AddWithValue("failedStatement", failedStatement);
        command.Parameters.AddWithValue("error", error);
        await command.ExecuteNonQueryAsync(ct);
    }
}

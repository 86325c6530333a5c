using Dapper;
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
            if (!await connection.ExecuteScalarAsync<bool>("select to_regnamespace('plant_migrations') is not null", new { ct }))
            {
                return null;
            }

            const string Sql = """
                select version, description, checksum, applied_at, applied_by, duration_ms, success, failed_statement, error
                from plant_migrations.history
                order by version
                """;
            var rows = (await connection.QueryAsync<AppliedMigration>(Sql, new { ct })).ToList();
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
        await connection.ExecuteAsync(CreateSql, new { ct }, transaction);

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
        await connection.ExecuteAsync(
            Sql,
            new { version = migration.Version, description = migration.Description, checksum = migration.Checksum, appliedBy, durationMs, success, failedStatement, error, ct },
            transaction);
    }

    public static async Task DeleteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, int version, CancellationToken ct)
    {
        await connection.ExecuteAsync("delete from plant_migrations.history where version = @version", new { version, ct }, transaction);
    }

    /// <summary>Marks an applied version failed (a down script outside a transaction stopped half-way).</summary>
    public static async Task MarkFailedAsync(NpgsqlConnection connection, int version, string failedStatement, string error, CancellationToken ct)
    {
        const string Sql = """
            update plant_migrations.history
            set success = false, failed_statement = @failedStatement, error = @error
            where version = @version
            """;
        await connection.ExecuteAsync(Sql, new { version, failedStatement, error, ct });
    }
}

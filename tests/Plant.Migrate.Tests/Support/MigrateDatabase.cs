using Npgsql;
using Plant.Testing;

namespace Plant.Migrate.Tests.Support;

/// <summary>
/// An empty database of its own for one test (migrations change the whole schema, so tests cannot share one),
/// dropped on dispose, with readers for the engine's tables.
/// </summary>
internal sealed class MigrateDatabase : IAsyncDisposable
{
    private MigrateDatabase(PostgresServer server, string connectionString)
    {
        Server = server;
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public PostgresServer Server { get; }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public static async Task<MigrateDatabase> CreateAsync(string prefix)
    {
        var server = await PostgresServer.SharedAsync();
        return new MigrateDatabase(server, await server.CreateDatabaseAsync("mig_" + prefix));
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The applied versions, successful or not.</summary>
    public async Task<IReadOnlyList<int>> VersionsAsync()
    {
        if (!await ScalarAsync<bool>("select to_regclass('plant_migrations.history') is not null"))
        {
            return [];
        }

        await using var command = DataSource.CreateCommand("select version from plant_migrations.history order by version");
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<int>();
        while (await reader.ReadAsync())
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    public Task<bool> TableExistsAsync(string name) => ScalarAsync<bool>($"select to_regclass('{name}') is not null");

    /// <summary>Rows of plant_migrations.runs, oldest first.</summary>
    public async Task<IReadOnlyList<RunRow>> RunsAsync()
    {
        if (!await ScalarAsync<bool>("select to_regclass('plant_migrations.runs') is not null"))
        {
            return [];
        }

        await using var command = DataSource.CreateCommand("""
            select id, trigger, operation, outcome, from_version, to_version, failure_stage, message, started_at, finished_at, approval_id
            from plant_migrations.runs order by started_at, id
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<RunRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new RunRow(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4), reader.GetInt32(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetString(7),
                reader.GetFieldValue<DateTimeOffset>(8), reader.GetFieldValue<DateTimeOffset>(9), reader.IsDBNull(10) ? null : reader.GetGuid(10)));
        }

        return rows;
    }

    /// <summary>The migration log's lines, oldest first, as the engine renders them.</summary>
    public async Task<IReadOnlyList<string>> LogAsync() => [.. (await LogEntriesAsync()).Select(e => e.Render())];

    /// <summary>The migration log, oldest first.</summary>
    public async Task<IReadOnlyList<Plant.Core.Migrations.MigrationLogEntry>> LogEntriesAsync() =>
        [.. (await Plant.Core.Migrations.MigrationLog.ReadRecentAsync(DataSource, 1000)).Reverse()];

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await Server.DropDatabaseAsync(ConnectionString);
    }
}

/// <summary>A row of plant_migrations.runs.</summary>
internal sealed record RunRow(
    Guid Id, string Trigger, string Operation, string Outcome, int FromVersion, int ToVersion, string? FailureStage, string Message,
    DateTimeOffset StartedAt, DateTimeOffset FinishedAt, Guid? ApprovalId);

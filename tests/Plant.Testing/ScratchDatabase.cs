using System.Diagnostics;
using Npgsql;
using Plant.Core.Configuration;
using Plant.Core.Migrations;
using Plant.Core.Migrations.Runs;
using Xunit;

namespace Plant.Testing;

/// <summary>
/// An empty database of its own for one test (migrations change the whole schema, so such tests cannot share one),
/// dropped on dispose, with readers for the migration engine's tables and a schema dump.
/// </summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private ScratchDatabase(PostgresServer server, string connectionString)
    {
        Server = server;
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public PostgresServer Server { get; }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    /// <param name="prefix">Goes into the database name, to tell databases apart when debugging.</param>
    public static async Task<ScratchDatabase> CreateAsync(string prefix)
    {
        var server = await PostgresServer.SharedAsync();
        return new ScratchDatabase(server, await server.CreateDatabaseAsync(prefix));
    }

    /// <summary>The migration pipeline on this database (<see cref="TestPipeline"/>).</summary>
    public MigrationPipeline Pipeline(MigrationSet? migrations = null, MigrationOptions? options = null, PlantEnvironment environment = PlantEnvironment.Local) =>
        TestPipeline.Create(DataSource, migrations, options, environment);

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

    public Task<bool> TableExistsAsync(string name) => ScalarAsync<bool>($"select to_regclass('{name}') is not null");

    /// <summary>Rows of plant_migrations.history, by version.</summary>
    public async Task<List<(int Version, string Checksum, bool Success)>> HistoryAsync()
    {
        await using var command = DataSource.CreateCommand("select version, checksum, success from plant_migrations.history order by version");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(int, string, bool)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt32(0), reader.GetString(1), reader.GetBoolean(2)));
        }

        return rows;
    }

    /// <summary>The applied versions, successful or not; empty before the engine created its tables.</summary>
    public async Task<IReadOnlyList<int>> VersionsAsync()
    {
        if (!await TableExistsAsync("plant_migrations.history"))
        {
            return [];
        }

        return [.. (await HistoryAsync()).Select(row => row.Version)];
    }

    /// <summary>Rows of plant_migrations.runs, oldest first; empty before the pipeline created the table.</summary>
    public async Task<IReadOnlyList<MigrationRunRow>> RunsAsync()
    {
        if (!await TableExistsAsync("plant_migrations.runs"))
        {
            return [];
        }

        await using var command = DataSource.CreateCommand("""
            select id, trigger, operation, outcome, from_version, to_version, failure_stage, message, started_at, finished_at, approval_id
            from plant_migrations.runs order by started_at, id
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<MigrationRunRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new MigrationRunRow(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4), reader.GetInt32(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetString(7),
                reader.GetFieldValue<DateTimeOffset>(8), reader.GetFieldValue<DateTimeOffset>(9), reader.IsDBNull(10) ? null : reader.GetGuid(10)));
        }

        return rows;
    }

    /// <summary>The migration log's lines, oldest first, as the engine renders them.</summary>
    public async Task<IReadOnlyList<string>> LogAsync() => [.. (await LogEntriesAsync()).Select(e => e.Render())];

    /// <summary>The migration log, oldest first.</summary>
    public async Task<IReadOnlyList<MigrationLogEntry>> LogEntriesAsync() =>
        [.. (await MigrationLog.ReadRecentAsync(DataSource, 1000)).Reverse()];

    /// <summary><c>pg_dump --schema-only</c> of this database, with more of pg_dump's arguments if given (<c>--schema=name</c>).</summary>
    public async Task<string> SchemaDumpAsync(params string[] arguments)
    {
        var settings = new NpgsqlConnectionStringBuilder(ConnectionString);
        var info = new ProcessStartInfo("pg_dump") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--schema-only", "--no-owner", "-h", settings.Host!, "-p", settings.Port.ToString(), "-U", settings.Username ?? "postgres", settings.Database! })
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (!string.IsNullOrEmpty(settings.Password))
        {
            info.Environment["PGPASSWORD"] = settings.Password;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, "pg_dump failed: " + await errors);
        // pg_dump 15.14+ wraps its output in \restrict / \unrestrict with a random key on each run.
        return string.Join('\n', (await output).Split('\n').Where(line => !line.StartsWith("\\restrict ", StringComparison.Ordinal) && !line.StartsWith("\\unrestrict ", StringComparison.Ordinal)));
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await Server.DropDatabaseAsync(ConnectionString);
    }
}

/// <summary>A row of plant_migrations.runs.</summary>
public sealed record MigrationRunRow(
    Guid Id, string Trigger, string Operation, string Outcome, int FromVersion, int ToVersion, string? FailureStage, string Message,
    DateTimeOffset StartedAt, DateTimeOffset FinishedAt, Guid? ApprovalId);

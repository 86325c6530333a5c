using System.Diagnostics;
using Npgsql;
using Plant.Core.Migrations;
using Plant.Testing;

namespace Plant.Core.Tests.Migrations;

/// <summary>
/// An empty database of its own for one migration test (migrations change the whole schema, so tests cannot share
/// one), dropped on dispose.
/// </summary>
internal sealed class ScratchDatabase : IAsyncDisposable
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

    public static async Task<ScratchDatabase> CreateAsync(string prefix)
    {
        var server = await PostgresServer.SharedAsync();
        return new ScratchDatabase(server, await server.CreateDatabaseAsync(prefix));
    }

    public Migrator Migrator(MigrationSet? migrations = null, MigratorOptions? options = null) =>
        new(DataSource, migrations, options);

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

    /// <summary><c>pg_dump --schema-only</c> of this database.</summary>
    public async Task<string> SchemaDumpAsync()
    {
        var settings = new NpgsqlConnectionStringBuilder(ConnectionString);
        var info = new ProcessStartInfo("pg_dump") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--schema-only", "--no-owner", "-h", settings.Host!, "-p", settings.Port.ToString(), "-U", settings.Username ?? "postgres", settings.Database! })
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

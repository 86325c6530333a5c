using System.Globalization;
using Dapper;
using Npgsql;
using Plant.Core.Configuration;

namespace Plant.Core.Migrations;

/// <summary>One line of <c>plant_migrations.log</c>.</summary>
public sealed record MigrationLogEntry(
    DateTimeOffset LoggedAt,
    PlantEnvironment Environment,
    string Operation,
    int? FromVersion,
    int? ToVersion,
    bool Success,
    int DurationMs,
    string? Message)
{
    /// <summary>
    /// <c>[2026-01-14T12:30:45Z] demo: up 0003 -> 0005 - SUCCESS</c>, the previous backend's frame
    /// (<c>[time] env: what - OUTCOME</c>); a failure adds its message, on the same line: one entry is one line.
    /// </summary>
    public string Render()
    {
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"[{LoggedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}] {MigrationLog.EnvironmentName(Environment)}: {Operation} {Version(FromVersion)} -> {Version(ToVersion)} - {(Success ? "SUCCESS" : "FAILED")}");
        return Success || string.IsNullOrEmpty(Message) ? line : $"{line}: {Message.ReplaceLineEndings(" ")}";
    }

    private static string Version(int? version) => version is { } v ? Migration.FormatVersion(v) : "????";
}

/// <summary>Writes and reads the migration log.</summary>
public static class MigrationLog
{
    /// <summary>How many lines <c>status</c> and <c>GET /api/v1/migrations</c> show: enough for the last few days of runs, bounded.</summary>
    public const int RecentLineCount = 20;

    /// <summary>The most recent <paramref name="count"/> lines as text, oldest first (the order they were written in).</summary>
    public static async Task<IReadOnlyList<string>> ReadRecentLinesAsync(NpgsqlDataSource dataSource, int count = RecentLineCount, CancellationToken ct = default) =>
        [.. (await ReadRecentAsync(dataSource, count, ct)).Reverse().Select(e => e.Render())];

    /// <summary>The environment as the log writes it: local, demo, uat, prod.</summary>
    public static string EnvironmentName(PlantEnvironment environment) => environment.ToString().ToLowerInvariant();

    /// <summary>
    /// Writes a line on a connection of its own, in its own transaction, so that a failed migration's rollback
    /// does not take its log line with it. Nothing is written while the log table does not exist yet (status
    /// or plan of an empty database create nothing). A failure to log never hides the operation's own outcome.
    /// </summary>
    internal static async Task<bool> TryWriteAsync(NpgsqlDataSource dataSource, MigrationLogEntry entry, CancellationToken ct)
    {
        const string Sql = """
            insert into plant_migrations.log (logged_at, environment, operation, from_version, to_version, outcome, duration_ms, message)
            select @loggedAt, @environment, @operation, @fromVersion, @toVersion, @outcome, @durationMs, @message
            where to_regclass('plant_migrations.log') is not null
            """;
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            var written = await connection.ExecuteAsync(
                Sql,
                new
                {
                    loggedAt = entry.LoggedAt,
                    environment = EnvironmentName(entry.Environment),
                    operation = entry.Operation,
                    fromVersion = entry.FromVersion,
                    toVersion = entry.ToVersion,
                    outcome = entry.Success ? "SUCCESS" : "FAILED",
                    durationMs = entry.DurationMs,
                    message = entry.Message,
                    ct,
                });
            return written == 1;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>The most recent lines, newest first; empty when the log table does not exist.</summary>
    public static async Task<IReadOnlyList<MigrationLogEntry>> ReadRecentAsync(NpgsqlDataSource dataSource, int count, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (!await connection.ExecuteScalarAsync<bool>("select to_regclass('plant_migrations.log') is not null", new { ct }))
        {
            return [];
        }

        const string Sql = """
            select logged_at, environment, operation, from_version, to_version, outcome, duration_ms, message
            from plant_migrations.log
            order by id desc
            limit @count
            """;
        var rows = await connection.QueryAsync<LogRow>(Sql, new { count, ct });
        return
        [
            .. rows.Select(r => new MigrationLogEntry(
                r.LoggedAt, PlantEnvironments.Parse(r.Environment), r.Operation, r.FromVersion, r.ToVersion, r.Outcome == "SUCCESS", r.DurationMs, r.Message)),
        ];
    }

    /// <summary>A log row as stored: the environment and outcome as text.</summary>
    internal sealed record LogRow(
        DateTimeOffset LoggedAt, string Environment, string Operation, int? FromVersion, int? ToVersion, string Outcome, int DurationMs, string? Message);
}

using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using Plant.Core.Configuration;
using Plant.Core.Migrations.Smoke;

namespace Plant.Core.Migrations.Runs;

/// <summary>Reads and writes <c>plant_migrations.runs</c>: one row per recorded run, its report as JSON.</summary>
public static class MigrationRuns
{
    /// <summary>
    /// How reports are stored: camelCase names, enums as kebab-case strings (<c>awaiting-approval</c>). Metadata for
    /// <see cref="MigrationRunReport"/> only, source-generated (<see cref="RunsJsonContext"/>); one string
    /// converter per enum a report holds, as the generic converter is the one that needs no runtime code generation.
    /// </summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters =
        {
            new JsonStringEnumConverter<MigrationTrigger>(JsonNamingPolicy.KebabCaseLower),
            new JsonStringEnumConverter<MigrationOperation>(JsonNamingPolicy.KebabCaseLower),
            new JsonStringEnumConverter<MigrationRunOutcome>(JsonNamingPolicy.KebabCaseLower),
            new JsonStringEnumConverter<MigrationFailureStage>(JsonNamingPolicy.KebabCaseLower),
            new JsonStringEnumConverter<PlantEnvironment>(JsonNamingPolicy.KebabCaseLower),
            new JsonStringEnumConverter<MigrationPolicy>(JsonNamingPolicy.KebabCaseLower),
            new JsonStringEnumConverter<SmokeCheckStatus>(JsonNamingPolicy.KebabCaseLower),
        },
        TypeInfoResolver = RunsJsonContext.Default,
    };

    /// <summary><see cref="MigrationRunReport"/> under <see cref="JsonOptions"/> (cached by them), for the <c>JsonSerializer</c> overloads that take metadata.</summary>
    public static JsonTypeInfo<MigrationRunReport> ReportTypeInfo => (JsonTypeInfo<MigrationRunReport>)JsonOptions.GetTypeInfo(typeof(MigrationRunReport));

    /// <summary>The name an enum value has in stored reports and in the <c>runs</c> table.</summary>
    public static string Name<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    /// <summary>The most recent runs, newest first; empty before the first run.</summary>
    public static async Task<IReadOnlyList<MigrationRunReport>> ReadRecentAsync(NpgsqlDataSource dataSource, int count, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await ReadRecentAsync(connection, count, ct);
    }

    internal static async Task<IReadOnlyList<MigrationRunReport>> ReadRecentAsync(NpgsqlConnection connection, int count, CancellationToken ct)
    {
        if (!await RunTables.ExistAsync(connection, ct))
        {
            return [];
        }

        var reports = await connection.QueryAsync<string>(
            "select report from plant_migrations.runs order by started_at desc, id limit @count", new { count, ct });
        return [.. reports.Select(r => JsonSerializer.Deserialize(r, ReportTypeInfo)!)];
    }

    /// <summary>
    /// Notes a run as started, with the report to record should its runner die before it records one (outside any
    /// transaction, so that the note outlives a batch that rolls back).
    /// </summary>
    internal static async Task StartAsync(NpgsqlConnection connection, MigrationRunReport interrupted, CancellationToken ct)
    {
        const string Sql = """
            insert into plant_migrations.runs_in_progress (id, started_at, environment, trigger, operation, from_version, message, report)
            values (@id, @startedAt, @environment, @trigger, @operation, @fromVersion, @message, @report)
            """;
        // The report goes as a jsonb-typed parameter, which Dapper's parameters cannot say: this write stays on Npgsql.
        await using var command = new NpgsqlCommand(Sql, connection);
        command.Parameters.AddWithValue("id", interrupted.RunId);
        command.Parameters.AddWithValue("startedAt", interrupted.StartedAt);
        command.Parameters.AddWithValue("environment", MigrationLog.EnvironmentName(interrupted.Environment));
        command.Parameters.AddWithValue("trigger", Name(interrupted.Trigger));
        command.Parameters.AddWithValue("operation", Name(interrupted.Operation));
        command.Parameters.AddWithValue("fromVersion", interrupted.FromVersion);
        command.Parameters.AddWithValue("message", interrupted.Message);
        command.Parameters.Add(new NpgsqlParameter("report", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(interrupted, ReportTypeInfo) });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Records as interrupted every run noted as started that never recorded an outcome. Called under the migration
    /// lock, which a live run holds for as long as it runs: so a run still noted is one whose runner is gone.
    /// </summary>
    internal static async Task RecordInterruptedAsync(NpgsqlConnection connection, int currentVersion, DateTimeOffset now, CancellationToken ct)
    {
        const string Sql = """
            with gone as (delete from plant_migrations.runs_in_progress returning *)
            insert into plant_migrations.runs (id, started_at, finished_at, environment, trigger, operation, outcome, from_version, to_version, message, report)
            select id, started_at, greatest(@now, started_at), environment, trigger, operation, 'interrupted', from_version, @current, message,
                   report || jsonb_build_object('finishedAt', greatest(@now, started_at), 'toVersion', @current)
            from gone
            """;
        await connection.ExecuteAsync(Sql, new { now, current = currentVersion, ct });
    }

    /// <summary>Removes a live run's note when it ends without a record. Best effort: a note left behind reads as interrupted.</summary>
    internal static async Task ForgetAsync(NpgsqlConnection connection, Guid runId)
    {
        try
        {
            await connection.ExecuteAsync("delete from plant_migrations.runs_in_progress where id = @id", new { id = runId });
        }
        catch (NpgsqlException)
        {
            // The connection failed as well: the next run records this one as interrupted, which it then was.
        }
    }

    internal static async Task InsertAsync(NpgsqlConnection connection, MigrationRunReport report, CancellationToken ct)
    {
        const string Sql = """
            delete from plant_migrations.runs_in_progress where id = @id;
            insert into plant_migrations.runs
                (id, started_at, finished_at, environment, trigger, operation, outcome, from_version, to_version, plan_checksum, failure_stage, approval_id, message, report)
            values (@id, @startedAt, @finishedAt, @environment, @trigger, @operation, @outcome, @fromVersion, @toVersion, @planChecksum, @failureStage, @approvalId, @message, @report)
            """;
        // Two statements in one round trip, and a jsonb-typed report: this write stays on Npgsql.
        await using var command = new NpgsqlCommand(Sql, connection);
        command.Parameters.AddWithValue("id", report.RunId);
        command.Parameters.AddWithValue("startedAt", report.StartedAt);
        command.Parameters.AddWithValue("finishedAt", report.FinishedAt);
        command.Parameters.AddWithValue("environment", MigrationLog.EnvironmentName(report.Environment));
        command.Parameters.AddWithValue("trigger", Name(report.Trigger));
        command.Parameters.AddWithValue("operation", Name(report.Operation));
        command.Parameters.AddWithValue("outcome", Name(report.Outcome));
        command.Parameters.AddWithValue("fromVersion", report.FromVersion);
        command.Parameters.AddWithValue("toVersion", report.ToVersion);
        command.Parameters.AddWithValue("planChecksum", (object?)report.PlanChecksum ?? DBNull.Value);
        command.Parameters.AddWithValue("failureStage", (report.UndoFailure ?? report.Failure) is { } failure ? (object)Name(failure.Stage) : DBNull.Value);
        command.Parameters.AddWithValue("approvalId", (object?)report.ApprovalId ?? DBNull.Value);
        command.Parameters.AddWithValue("message", report.Message);
        command.Parameters.Add(new NpgsqlParameter("report", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(report, ReportTypeInfo) });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// The last run that tried to apply this exact plan (it succeeded or failed, not one that only waited), or
    /// null. A scheduled run does not try again a plan whose last attempt failed in a script or a smoke check.
    /// </summary>
    internal static async Task<(Guid RunId, DateTimeOffset FinishedAt, string? FailureStage)?> FindLastAttemptAsync(
        NpgsqlConnection connection, string planChecksum, CancellationToken ct)
    {
        const string Sql = """
            select id, finished_at, failure_stage from plant_migrations.runs
            where plan_checksum = @checksum and operation = 'up' and outcome in ('succeeded', 'failed')
            order by started_at desc, id
            limit 1
            """;
        var attempt = await connection.QueryFirstOrDefaultAsync<Attempt>(Sql, new { checksum = planChecksum, ct });
        return attempt is null ? null : (attempt.Id, attempt.FinishedAt, attempt.FailureStage);
    }

    internal sealed record Attempt(Guid Id, DateTimeOffset FinishedAt, string? FailureStage);
}

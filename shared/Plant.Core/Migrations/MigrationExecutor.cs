using System.Diagnostics;
using System.Globalization;
using Dapper;
using Npgsql;

namespace Plant.Core.Migrations;

/// <summary>
/// Runs one migration's up or down script on the connection that holds the migration lock, split into statements
/// so that a failure names its statement: in one transaction together with its history change (one batch, one
/// round trip), or, for scripts marked <see cref="Migration.NoTransactionMarker"/>, each statement on its own,
/// recording the one that failed.
/// </summary>
internal sealed class MigrationExecutor(NpgsqlConnection connection, MigrationOptions options)
{
    public async Task UpAsync(Migration migration, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        if (migration.UpInTransaction)
        {
            await RunInTransactionAsync(migration, migration.UpSql, $"V{migration.Label} ({migration.Description})", transaction =>
                MigrationHistory.InsertAsync(connection, transaction, migration, options.AppliedBy, Elapsed(clock), true, null, null, ct), ct);
            return;
        }

        await RunStatementsAsync(migration, migration.UpSql, "up", async (statement, error) =>
        {
            // Outside a transaction what ran stays applied: a failed row stops later runs until someone repairs it.
            await MigrationHistory.InsertAsync(connection, null, migration, options.AppliedBy, Elapsed(clock), false, statement, error, ct);
        }, ct);
        await MigrationHistory.InsertAsync(connection, null, migration, options.AppliedBy, Elapsed(clock), true, null, null, ct);
    }

    public async Task DownAsync(Migration migration, CancellationToken ct)
    {
        var downSql = migration.DownSql ?? throw new MigrationException($"V{migration.Label} ({migration.Description}) has no down script.");
        if (migration.DownInTransaction)
        {
            await RunInTransactionAsync(migration, downSql, $"Down script of V{migration.Label} ({migration.Description})", transaction =>
                MigrationHistory.DeleteAsync(connection, transaction, migration.Version, ct), ct);
            return;
        }

        await RunStatementsAsync(migration, downSql, "down", async (statement, error) =>
        {
            await MigrationHistory.MarkFailedAsync(connection, migration.Version, "down: " + statement, error, ct);
        }, ct);
        await MigrationHistory.DeleteAsync(connection, null, migration.Version, ct);
    }

    private async Task RunInTransactionAsync(Migration migration, string sql, string what, Func<NpgsqlTransaction, Task> recordHistory, CancellationToken ct)
    {
        var statements = SqlStatements.Split(sql);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        NpgsqlBatch? batch = null;
        try
        {
            await SetTimeoutsAsync(transaction, ct);
            if (statements.Count > 0)
            {
                // One batch: one round trip for the whole script, and each statement its own batch command, so that
                // the first one left without a completion is the one that failed.
                batch = new NpgsqlBatch(connection, transaction)
                {
                    Timeout = (int)Math.Min(int.MaxValue / 2, (options.StatementTimeout.TotalSeconds * statements.Count) + 30),
                };
                foreach (var statement in statements)
                {
                    batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));
                }

                await batch.ExecuteNonQueryAsync(ct);
                await batch.DisposeAsync();
                batch = null;
            }

            await recordHistory(transaction);
            await transaction.CommitAsync(ct);
        }
        catch (NpgsqlException e)
        {
            // Disposing the transaction rolls it back; the failed statement goes into the message and the exception.
            var error = Describe(e);
            var index = batch is null ? -1 : FirstUnfinished(batch);
            if (index >= 0)
            {
                throw new MigrationException(
                    $"{what} failed at statement {index + 1} of {statements.Count} and was rolled back ({error}). Statement: {SqlStatements.OneLine(WithoutLeadingComments(statements[index]))}",
                    e)
                {
                    Version = migration.Version,
                    Statement = WithoutLeadingComments(statements[index]),
                    StatementNumber = index + 1,
                    Error = error,
                };
            }

            throw new MigrationException($"{what} failed and was rolled back: {error}", e) { Version = migration.Version, Error = error };
        }
        finally
        {
            if (batch is not null)
            {
                await batch.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// The index of the first statement of a failed batch that did not complete: Npgsql sets a command's
    /// statement type from its CommandComplete, and the server skips everything after an error.
    /// </summary>
    private static int FirstUnfinished(NpgsqlBatch batch)
    {
        for (var i = 0; i < batch.BatchCommands.Count; i++)
        {
            if (batch.BatchCommands[i].StatementType == StatementType.Unknown)
            {
                return i;
            }
        }

        return -1;
    }

    private async Task RunStatementsAsync(Migration migration, string sql, string direction, Func<string, string, Task> recordFailure, CancellationToken ct)
    {
        var statements = SqlStatements.Split(sql);
        await SetTimeoutsAsync(null, ct);
        try
        {
            for (var i = 0; i < statements.Count; i++)
            {
                try
                {
                    await ExecuteAsync(statements[i], null, ct);
                }
                catch (NpgsqlException e)
                {
                    var error = Describe(e);
                    if (connection.State == System.Data.ConnectionState.Open)
                    {
                        await recordFailure(statements[i], error);
                    }

                    throw new MigrationException(
                        $"V{migration.Label} ({migration.Description}) {direction} runs without a transaction and failed at statement {i + 1} of {statements.Count} ({error}); statements before it stay applied. Statement: {statements[i]}",
                        e)
                    {
                        Version = migration.Version,
                        Statement = WithoutLeadingComments(statements[i]),
                        StatementNumber = i + 1,
                        Error = error,
                    };
                }
            }
        }
        finally
        {
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await connection.ExecuteAsync("reset lock_timeout; reset statement_timeout");
            }
        }
    }

    private async Task ExecuteAsync(string sql, NpgsqlTransaction? transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction)
        {
            // The server's statement_timeout bounds each statement; the client waits a little longer.
            CommandTimeout = (int)Math.Ceiling(options.StatementTimeout.TotalSeconds) + 30,
        };
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>lock_timeout and statement_timeout for the DDL, local to the transaction when there is one.</summary>
    private async Task SetTimeoutsAsync(NpgsqlTransaction? transaction, CancellationToken ct)
    {
        const string Sql = "select set_config('lock_timeout', @lockTimeout, @local), set_config('statement_timeout', @statementTimeout, @local)";
        var args = new
        {
            lockTimeout = Milliseconds(options.DdlLockTimeout),
            statementTimeout = Milliseconds(options.StatementTimeout),
            local = transaction is not null,
            ct,
        };
        await connection.ExecuteAsync(Sql, args, transaction);
    }

    private static string Milliseconds(TimeSpan span) =>
        ((long)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";

    private static int Elapsed(Stopwatch clock) => (int)Math.Min(int.MaxValue, clock.ElapsedMilliseconds);

    private static string Describe(NpgsqlException e) =>
        e is PostgresException pg ? $"{pg.SqlState}: {pg.MessageText}" : e.Message;

    /// <summary>The statement without the comment lines before it (a script's header comment sits on its first statement).</summary>
    private static string WithoutLeadingComments(string statement)
    {
        var lines = statement.Split('\n');
        var first = Array.FindIndex(lines, l => l.Trim().Length > 0 && !l.TrimStart().StartsWith("--", StringComparison.Ordinal));
        return first <= 0 ? statement : string.Join('\n', lines[first..]);
    }
}

using System.Diagnostics;
using Npgsql;

namespace Plant.Core.Migrations;

/// <summary>
/// The migration operations: status, plan, up and down. Up and down hold a session-level advisory lock for their
/// whole run, so concurrent runners take turns and never apply a migration twice; every operation writes one
/// line to the migration log, failures included.
/// </summary>
public sealed class Migrator
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly MigrationSet _migrations;
    private readonly MigratorOptions _options;

    /// <param name="dataSource">The database to migrate.</param>
    /// <param name="migrations">The migrations of this build; <see cref="MigrationSet.Embedded"/> unless testing.</param>
    /// <param name="options">Timeouts and the environment for the log; defaults when null.</param>
    public Migrator(NpgsqlDataSource dataSource, MigrationSet? migrations = null, MigratorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _migrations = migrations ?? MigrationSet.Embedded;
        _options = options ?? new MigratorOptions();
    }

    /// <summary>
    /// The current version, the applied and the pending migrations, and any reason up would refuse to run
    /// (in <see cref="MigrationStatus.Problems"/>). Changes nothing.
    /// </summary>
    /// <exception cref="MigrationException">The history exists but cannot be read.</exception>
    public Task<MigrationStatus> StatusAsync(CancellationToken ct = default) =>
        RunLoggedAsync("status", async (state, connection) =>
        {
            var applied = await MigrationHistory.ReadAsync(connection, ct) ?? [];
            state.From = state.To = CurrentVersion(applied);
            var problems = MigrationValidator.FindProblems(_migrations, applied);
            if (problems.Count > 0)
            {
                state.Message = string.Join(" ", problems);
                state.Success = false;
            }

            return new MigrationStatus(state.From.Value, _migrations.Latest, applied, Pending(applied, _migrations.Latest), problems);
        }, ct);

    /// <summary>The migrations up would run, with their SQL. Changes nothing.</summary>
    /// <param name="target">The version to plan to; the latest when null.</param>
    /// <param name="ct">Cancels the operation.</param>
    /// <exception cref="MigrationException">The history is unreadable or refused, or the target is wrong.</exception>
    public Task<IReadOnlyList<PendingMigration>> PlanAsync(int? target = null, CancellationToken ct = default) =>
        RunLoggedAsync("plan", async (state, connection) =>
        {
            var applied = await ReadValidatedAsync(connection, ct);
            state.From = CurrentVersion(applied);
            var to = UpTarget(target, state.From.Value);
            state.To = to;
            return Pending(applied, to);
        }, ct);

    /// <summary>Applies the pending migrations up to <paramref name="target"/> (the latest when null), each in its own transaction.</summary>
    /// <exception cref="MigrationException">Refused, timed out waiting for the lock, or a migration failed (the versions before it stay applied).</exception>
    public Task<MigrationRunResult> UpAsync(int? target = null, CancellationToken ct = default) =>
        RunLockedAsync("up", async (state, connection, clock) =>
        {
            var applied = await ReadValidatedAsync(connection, ct);
            state.From = state.To = CurrentVersion(applied);
            var to = UpTarget(target, state.From.Value);
            var run = new List<int>();
            var executor = new MigrationExecutor(connection, _options);
            foreach (var migration in _migrations.Migrations.Where(m => m.Version > state.From && m.Version <= to))
            {
                await executor.UpAsync(migration, ct);
                run.Add(migration.Version);
                state.To = migration.Version;
            }

            return new MigrationRunResult(state.From.Value, state.To.Value, run, clock.Elapsed);
        }, ct);

    /// <summary>
    /// Runs the down scripts of the applied migrations above <paramref name="target"/>, newest first, each in its
    /// own transaction that also deletes the history row.
    /// </summary>
    /// <exception cref="MigrationException">Refused (unknown target, a migration without a down script), or a down script failed.</exception>
    public Task<MigrationRunResult> DownAsync(int target, CancellationToken ct = default) =>
        RunLockedAsync("down", async (state, connection, clock) =>
        {
            var applied = await ReadValidatedAsync(connection, ct);
            state.From = state.To = CurrentVersion(applied);
            if (target < 0 || target > state.From || (target > 0 && applied.All(a => a.Version != target)))
            {
                throw new MigrationException(
                    $"Cannot go down to V{Migration.FormatVersion(Math.Max(target, 0))}: it must be 0 or an applied version not above the current V{Migration.FormatVersion(state.From.Value)}.");
            }

            var toUndo = applied.Where(a => a.Version > target).OrderByDescending(a => a.Version).Select(a => _migrations.Find(a.Version)!).ToList();
            var withoutDown = toUndo.Where(m => m.DownSql is null).Select(m => "V" + m.Label).ToList();
            if (withoutDown.Count > 0)
            {
                throw new MigrationException($"Cannot go down to V{Migration.FormatVersion(target)}: {string.Join(", ", withoutDown)} has no down script.");
            }

            var run = new List<int>();
            var executor = new MigrationExecutor(connection, _options);
            foreach (var migration in toUndo)
            {
                await executor.DownAsync(migration, ct);
                run.Add(migration.Version);
                state.To = applied.Where(a => a.Version < migration.Version).Select(a => a.Version).DefaultIfEmpty(0).Max();
            }

            return new MigrationRunResult(state.From.Value, state.To.Value, run, clock.Elapsed);
        }, ct);

    private async Task<T> RunLoggedAsync<T>(string operation, Func<OperationState, NpgsqlConnection, Task<T>> body, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var state = new OperationState();
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(ct);
            return await body(state, connection);
        }
        catch (Exception e) when (e is MigrationException or NpgsqlException or TimeoutException)
        {
            state.Success = false;
            state.Message ??= e.Message;
            throw;
        }
        finally
        {
            await WriteLogAsync(operation, state, clock);
        }
    }

    private Task<MigrationRunResult> RunLockedAsync(string operation, Func<OperationState, NpgsqlConnection, Stopwatch, Task<MigrationRunResult>> body, CancellationToken ct) =>
        RunLoggedAsync(operation, async (state, connection) =>
        {
            var clock = Stopwatch.StartNew();
            await MigrationLock.AcquireAsync(connection, _options.LockWaitTimeout, _options.LockPollInterval, ct);
            try
            {
                if (await MigrationHistory.ReadAsync(connection, ct) is null)
                {
                    await MigrationHistory.CreateAsync(connection, ct);
                }

                return await body(state, connection, clock);
            }
            finally
            {
                // A broken connection has lost the lock with its session already.
                if (connection.State == System.Data.ConnectionState.Open)
                {
                    await MigrationLock.ReleaseAsync(connection, CancellationToken.None);
                }
            }
        }, ct);

    private async Task WriteLogAsync(string operation, OperationState state, Stopwatch clock)
    {
        var entry = new MigrationLogEntry(
            DateTimeOffset.UtcNow,
            _options.Environment,
            operation,
            state.From,
            state.To,
            state.Success,
            (int)Math.Min(int.MaxValue, clock.ElapsedMilliseconds),
            state.Message);
        // Not cancellable: the line is written even when the operation was cancelled.
        await MigrationLog.TryWriteAsync(_dataSource, entry, CancellationToken.None);
    }

    private async Task<IReadOnlyList<AppliedMigration>> ReadValidatedAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var applied = await MigrationHistory.ReadAsync(connection, ct) ?? [];
        var problems = MigrationValidator.FindProblems(_migrations, applied);
        return problems.Count == 0
            ? applied
            : throw new MigrationException("Refusing to migrate: " + string.Join(" ", problems));
    }

    private int UpTarget(int? target, int current)
    {
        var to = target ?? _migrations.Latest;
        if (to != 0 && _migrations.Find(to) is null)
        {
            throw new MigrationException($"V{Migration.FormatVersion(to)} is not one of this build's migrations (the latest is V{Migration.FormatVersion(_migrations.Latest)}).");
        }

        return to >= current
            ? to
            : throw new MigrationException($"Cannot go up to V{Migration.FormatVersion(to)}: the database is already at V{Migration.FormatVersion(current)}; use down.");
    }

    private IReadOnlyList<PendingMigration> Pending(IReadOnlyList<AppliedMigration> applied, int upTo)
    {
        var appliedVersions = applied.Select(a => a.Version).ToHashSet();
        return _migrations.Migrations
            .Where(m => m.Version <= upTo && !appliedVersions.Contains(m.Version))
            .Select(m => new PendingMigration(m.Version, m.Description, m.Checksum, m.UpSql, m.UpInTransaction))
            .ToList();
    }

    private static int CurrentVersion(IReadOnlyList<AppliedMigration> applied) =>
        applied.Where(a => a.Success).Select(a => a.Version).DefaultIfEmpty(0).Max();

    /// <summary>What the log line of an operation says, filled in as the operation goes.</summary>
    private sealed class OperationState
    {
        public int? From { get; set; }

        public int? To { get; set; }

        public bool Success { get; set; } = true;

        public string? Message { get; set; }
    }
}

using Npgsql;
using Plant.Core.Configuration;
using Plant.Core.Migrations;
using Plant.Core.Migrations.Runs;

namespace Plant.Testing;

/// <summary>
/// The migration pipeline as fixtures, tests and benchmarks run it: an environment's default settings (local: the
/// auto policy), no backup, no audit trail, and the command line's wait for another run's lock. A run that neither
/// succeeds nor finds nothing to do throws, so that a fixture never goes on with a database it did not migrate.
/// </summary>
public static class TestPipeline
{
    /// <summary>How long a run waits for another run's lock unless told otherwise, as the command line does.</summary>
    public static TimeSpan LockWait { get; } = TimeSpan.FromSeconds(30);

    /// <param name="dataSource">The database.</param>
    /// <param name="migrations">The migrations; <see cref="MigrationSet.Embedded"/> when null.</param>
    /// <param name="options">DDL timeouts and the like; defaults when null.</param>
    /// <param name="environment">Whose default settings (policy, and the environment the log names) to run with.</param>
    public static MigrationPipeline Create(
        NpgsqlDataSource dataSource, MigrationSet? migrations = null, MigrationOptions? options = null, PlantEnvironment environment = PlantEnvironment.Local) =>
        new(dataSource, migrations ?? MigrationSet.Embedded, PlantSettings.Defaults(environment), backup: null, options: options);

    /// <summary>An up run to <paramref name="target"/> (the latest when null).</summary>
    /// <exception cref="MigrationException">The run did not succeed; the message is the report's.</exception>
    public static Task<MigrationRunReport> UpAsync(this MigrationPipeline pipeline, int? target = null, TimeSpan? lockWait = null) =>
        RunAsync(pipeline, MigrationOperation.Up, target, lockWait);

    /// <summary>A down run to <paramref name="target"/>.</summary>
    /// <exception cref="MigrationException">The run did not succeed; the message is the report's.</exception>
    public static Task<MigrationRunReport> DownAsync(this MigrationPipeline pipeline, int target, TimeSpan? lockWait = null) =>
        RunAsync(pipeline, MigrationOperation.Down, target, lockWait);

    private static async Task<MigrationRunReport> RunAsync(MigrationPipeline pipeline, MigrationOperation operation, int? target, TimeSpan? lockWait)
    {
        var report = await pipeline.RunAsync(new MigrationRunRequest
        {
            Operation = operation,
            Trigger = MigrationTrigger.Cli,
            RequestedBy = "test",
            Target = target,
            LockWait = lockWait ?? LockWait,
        });
        return report.Outcome is MigrationRunOutcome.Succeeded or MigrationRunOutcome.NothingToDo
            ? report
            : throw new MigrationException(report.Message);
    }
}

using Plant.Core.Configuration;

namespace Plant.Core.Migrations.Runs;

public sealed partial class MigrationPipeline
{
    /// <summary>
    /// The current version, the pending migrations with their checksums, the history, recent approvals and runs.
    /// Takes no lock and writes nothing; a history that cannot be read shows as a problem rather than failing.
    /// </summary>
    public async Task<MigrationOverview> StatusAsync(int recent = 10, CancellationToken ct = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        IReadOnlyList<AppliedMigration> applied;
        IReadOnlyList<string> problems;
        try
        {
            applied = await MigrationHistory.ReadAsync(connection, ct) ?? [];
            problems = MigrationValidator.FindProblems(_migrations, applied);
        }
        catch (MigrationException e)
        {
            (applied, problems) = ([], [e.Message]);
        }

        var appliedVersions = applied.Select(a => a.Version).ToHashSet();
        var pending = _migrations.Migrations.Where(m => !appliedVersions.Contains(m.Version)).ToList();
        var hasTables = await RunTables.ExistAsync(connection, ct);
        return new MigrationOverview(
            _settings.Environment,
            _settings.MigrationPolicy,
            _settings.Migrations.Schedule,
            RunPlanner.CurrentVersion(applied),
            _migrations.Latest,
            applied,
            [.. pending.Select(m => new PlannedMigration(m.Version, m.Description, m.Checksum))],
            pending.Count > 0 && problems.Count == 0 ? MigrationPlan.ComputeChecksum(pending) : null,
            problems,
            hasTables ? await MigrationApprovals.ReadRecentAsync(connection, recent, ct) : [],
            hasTables ? await MigrationRuns.ReadRecentAsync(connection, recent, ct) : []);
    }

    /// <summary>The plan to a target (the latest when null) and what a scheduled run would do with it. Changes nothing.</summary>
    /// <exception cref="MigrationRefusedException">The history is refused, or the target is unknown or below the database's version.</exception>
    public async Task<MigrationPlanPreview> PlanAsync(int? target = null, CancellationToken ct = default)
    {
        if (target is { } t)
        {
            RunPlanner.CheckKnown(_migrations, t);
        }

        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        var applied = await ReadValidatedAsync(connection, ct);
        var plan = RunPlanner.Up(_migrations, applied, target ?? _migrations.Latest);
        var approval = !plan.IsEmpty && _settings.MigrationPolicy == MigrationPolicy.Approval && await RunTables.ExistAsync(connection, ct)
            ? RunPlanner.Match(_migrations, applied, await MigrationApprovals.ReadOpenAsync(connection, _time.GetUtcNow(), ct), plan.TargetVersion)
            : null;
        var verdict = plan.IsEmpty ? ScheduledVerdict.NothingToDo : _settings.MigrationPolicy switch
        {
            MigrationPolicy.Auto => ScheduledVerdict.Apply,
            MigrationPolicy.Manual => ScheduledVerdict.AwaitOperator,
            _ => approval is null ? ScheduledVerdict.AwaitApproval : ScheduledVerdict.ApplyApproved,
        };
        return new MigrationPlanPreview(plan, _settings.MigrationPolicy, verdict, approval);
    }
}

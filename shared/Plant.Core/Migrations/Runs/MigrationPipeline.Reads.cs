using Plant.Core.Configuration;

namespace Plant.Core.Migrations.Runs;

public sealed partial class MigrationPipeline
{
    /// <summary>
    /// The current version, the pending migrations with their checksums, the history, recent approvals and runs.
    /// Takes no lock and changes nothing but its log line; a history that cannot be read shows as a problem rather
    /// than failing, and any problem makes the log line a failure.
    /// </summary>
    public Task<MigrationOverview> StatusAsync(int recent = 10, CancellationToken ct = default) =>
        LoggedAsync("status", async line =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(ct);
            IReadOnlyList<AppliedMigration> applied;
            IReadOnlyList<string> problems;
            try
            {
                applied = await ReadHistoryAsync(connection, ct);
                line.From = line.To = RunPlanner.CurrentVersion(applied);
                problems = MigrationValidator.FindProblems(_migrations, applied);
            }
            catch (MigrationRefusedException e)
            {
                (applied, problems) = ([], [e.Message]);
            }

            if (problems.Count > 0)
            {
                (line.Success, line.Message) = (false, string.Join(" ", problems));
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
        });

    /// <summary>
    /// The plan to a target (the latest when null; a rollback when below the database's version), the tables it drops
    /// with their rows, whether a run of it needs an approval, and what a scheduled run would do with it. Changes
    /// nothing but its log line.
    /// </summary>
    /// <exception cref="MigrationRefusedException">The history is refused, or the target is unknown, never applied, or below a migration without a down script.</exception>
    public Task<MigrationPlanPreview> PlanAsync(int? target = null, CancellationToken ct = default) =>
        LoggedAsync("plan", async line =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(ct);
            var applied = await ReadValidatedAsync(connection, ct);
            line.From = RunPlanner.CurrentVersion(applied);
            var plan = RunPlanner.Plan(_migrations, applied, target ?? _migrations.Latest);
            line.To = plan.TargetVersion;
            var drops = await DroppedTables.CountAsync(connection, plan, ct);
            var needsApproval = RunPlanner.NeedsApproval(_settings, plan, drops);
            var approval = needsApproval && await RunTables.ExistAsync(connection, ct)
                ? RunPlanner.Match(_migrations, applied, await MigrationApprovals.ReadOpenAsync(connection, _time.GetUtcNow(), ct), plan.Operation, plan.TargetVersion)
                : null;
            var verdict = plan.IsEmpty ? ScheduledVerdict.NothingToDo
                : plan.Operation == MigrationOperation.Down ? ScheduledVerdict.Never
                : _settings.MigrationPolicy switch
                {
                    MigrationPolicy.Auto => ScheduledVerdict.Apply,
                    MigrationPolicy.Manual => ScheduledVerdict.AwaitOperator,
                    _ => approval is null ? ScheduledVerdict.AwaitApproval : ScheduledVerdict.ApplyApproved,
                };
            return new MigrationPlanPreview(plan, _settings.MigrationPolicy, verdict, drops, needsApproval, approval);
        });
}

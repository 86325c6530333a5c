using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Plant.Core.Configuration;
using Plant.Core.Migrations;
using Plant.Core.Migrations.Runs;
using Plant.Hosting;

namespace Plant.Migrate.Migrations;

/// <summary>
/// Applies pending migrations on a schedule (<c>PLANT_MIGRATE_SCHEDULE</c>, every 15 minutes by default) as the
/// environment's policy allows: always in local and demo, in uat only with the auto policy, in prod only a plan an
/// operator approved. A failed or refused run fails the invocation, so that it shows as failed in the host's runs
/// and logs; everything else (nothing pending, awaiting approval) succeeds.
/// </summary>
public sealed class MigrateOnSchedule(MigrationPipeline pipeline)
{
    /// <summary>Who the run report and the audit trail name as having asked.</summary>
    public const string Actor = "timer:" + nameof(MigrateOnSchedule);

    [Function(nameof(MigrateOnSchedule))]
    public async Task Run(
        [TimerTrigger("%" + MigrationSettings.ScheduleSetting + "%")] TimerInfo timer, FunctionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var report = await pipeline.RunAsync(
            new MigrationRunRequest { Operation = MigrationOperation.Up, Trigger = MigrationTrigger.Schedule, RequestedBy = Actor },
            cancellationToken);
        var logger = context.GetLogger<MigrateOnSchedule>();
        if (report.IsFailure)
        {
            throw new MigrationException($"Migration run {report.RunId} {MigrationRuns.Name(report.Outcome)}: {report.Message}");
        }

        logger.LogInformation("Migration run {RunId}: {Outcome}. {Message}", report.RunId, MigrationRuns.Name(report.Outcome), report.Message);
        if (report.AuditProblem is not null && report.Outcome != MigrationRunOutcome.Busy)
        {
            logger.LogWarning("Migration run {RunId} has no audit entry: {AuditProblem}", report.RunId, report.AuditProblem);
        }
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Plant.Core.Migrations.Runs;
using Plant.Hosting;
using Plant.Migrate.Wire;

namespace Plant.Migrate.Migrations;

/// <summary>
/// What the migration routes share: the target they take, and their answers for refusals
/// and for runs that did not succeed (docs/PROBLEMS.md lists the types).
/// A failed run is the migration's fault, not the server's: 422 with the run's report, never 500.
/// </summary>
internal static class MigrationRoutes
{
    public const string MigrationInProgress = "migration-in-progress";
    public const string HistoryRefused = "history-refused";
    public const string UnknownVersion = "unknown-version";
    public const string TargetConflict = "target-conflict";
    public const string NothingToApprove = "nothing-to-approve";
    public const string PlanMismatch = "plan-mismatch";
    public const string ApprovalUnusable = "approval-unusable";
    public const string ApprovalRequired = "approval-required";
    public const string MigrationFailed = "migration-failed";
    public const string BackupFailed = "backup-failed";

    /// <summary>A body's <c>target</c> version, or none (the latest): 1 or more to go up to; 0 (an empty schema) too where the plan may be a rollback.</summary>
    public static int? Target(int? target, bool mayRollBack) => target < (mayRollBack ? 0 : 1)
        ? throw new BadInputException("target", mayRollBack ? "target must be a version, or 0 for an empty schema." : "target must be a version, 1 or more.")
        : target;

    /// <summary>One run of the pipeline that an operator asked for over HTTP, answered as <see cref="ForRun"/> does.</summary>
    /// <param name="actor">Who the run report and the audit trail name: the verified caller (<see cref="Actors"/>).</param>
    public static async Task<Results<Ok<RunReportResponse>, ProblemHttpResult>> RunAsync(
        MigrationPipeline pipeline, MigrationOperation operation, int? target, Guid? approvalId, string actor, CancellationToken ct) =>
        ForRun(await pipeline.RunAsync(new MigrationRunRequest
        {
            Operation = operation,
            Trigger = MigrationTrigger.Http,
            RequestedBy = actor,
            Target = target,
            ApprovalId = approvalId,
        }, ct));

    /// <summary>200 with the report for a run that succeeded or had nothing to do; otherwise a problem carrying the report.</summary>
    public static Results<Ok<RunReportResponse>, ProblemHttpResult> ForRun(MigrationRunReport report)
    {
        var run = new Dictionary<string, object?> { ["run"] = MigrationResponses.Run(report) };
        return report.Outcome switch
        {
            MigrationRunOutcome.Succeeded or MigrationRunOutcome.NothingToDo => TypedResults.Ok(MigrationResponses.Run(report)),
            MigrationRunOutcome.Busy => Problems.Result(StatusCodes.Status409Conflict, MigrationInProgress, "Migration in progress", report.Message),
            MigrationRunOutcome.AwaitingApproval => Problems.Result(StatusCodes.Status409Conflict, ApprovalRequired, "Approval required", report.Message, run),
            MigrationRunOutcome.Refused => Problems.Result(StatusCodes.Status409Conflict, HistoryRefused, "Refused", report.Message, run),
            MigrationRunOutcome.Failed when report.Failure?.Stage == MigrationFailureStage.Backup =>
                Problems.Result(StatusCodes.Status503ServiceUnavailable, BackupFailed, "Backup failed", report.Message, run),
            MigrationRunOutcome.Failed => Problems.Result(StatusCodes.Status422UnprocessableEntity, MigrationFailed, "Migration failed", report.Message, run),
            // Scheduled runs only; a route never gets them, but an answer is still a problem, not a 500.
            _ => Problems.Result(StatusCodes.Status409Conflict, Problems.Conflict, "Conflict", report.Message, run),
        };
    }

    public static ProblemHttpResult ForRefusal(MigrationRefusedException refusal) => refusal.Reason switch
    {
        MigrationRefusal.Busy => Problems.Result(StatusCodes.Status409Conflict, MigrationInProgress, "Migration in progress", refusal.Message),
        MigrationRefusal.HistoryInvalid => Problems.Result(StatusCodes.Status409Conflict, HistoryRefused, "Refused", refusal.Message),
        MigrationRefusal.UnknownVersion => Problems.Result(StatusCodes.Status422UnprocessableEntity, UnknownVersion, "Unknown version", refusal.Message),
        MigrationRefusal.TargetConflict => Problems.Result(StatusCodes.Status409Conflict, TargetConflict, "Target conflict", refusal.Message),
        MigrationRefusal.NothingToApprove => Problems.Result(StatusCodes.Status409Conflict, NothingToApprove, "Nothing to approve", refusal.Message),
        MigrationRefusal.PlanMismatch => Problems.Result(StatusCodes.Status409Conflict, PlanMismatch, "Plan mismatch", refusal.Message),
        _ => Problems.Result(StatusCodes.Status409Conflict, ApprovalUnusable, "Approval unusable", refusal.Message,
            new Dictionary<string, object?> { ["reason"] = MigrationRuns.Name(refusal.Reason) }),
    };
}

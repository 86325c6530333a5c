using Microsoft.AspNetCore.Http;
using Plant.Core.Migrations.Runs;
using Plant.Hosting;

namespace Plant.Migrate.Http;

/// <summary>
/// The Migrate routes' answers for refusals and for runs that did not succeed (docs/PROBLEMS.md lists the types).
/// A failed run is the migration's fault, not the server's: 422 with the run's report, never 500.
/// </summary>
internal static class MigrationProblems
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

    /// <summary>200 with the report for a run that succeeded or had nothing to do; otherwise a problem carrying the report.</summary>
    public static IResult ForRun(MigrationRunReport report)
    {
        var run = new Dictionary<string, object?> { ["run"] = MigrationResponses.Run(report) };
        return report.Outcome switch
        {
            MigrationRunOutcome.Succeeded or MigrationRunOutcome.NothingToDo => Results.Ok(MigrationResponses.Run(report)),
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

    public static IResult ForRefusal(MigrationRefusedException refusal) => refusal.Reason switch
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

    /// <summary>The database could not be reached or failed under the run: retry later.</summary>
    public static IResult Unavailable() =>
        Problems.Result(StatusCodes.Status503ServiceUnavailable, Problems.Unavailable, "Unavailable", "The database cannot be reached or failed; retry later.");

    /// <summary>400 naming the field at fault.</summary>
    public static IResult BadField(string field, string detail) =>
        Problems.Result(StatusCodes.Status400BadRequest, Problems.BadRequest, "Bad request", $"{field}: {detail}", new Dictionary<string, object?> { ["field"] = field });
}

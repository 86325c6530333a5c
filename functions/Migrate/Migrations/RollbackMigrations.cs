using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Plant.Core.Migrations.Runs;
using Plant.Hosting;
using Plant.Migrate.Wire;

namespace Plant.Migrate.Migrations;

/// <summary>
/// <c>POST /api/v1/migrations/rollback</c> with <c>{ "target": 3 }</c>: one down run of the pipeline to an applied
/// version (0 for empty), backed up first and smoke-checked after; if anything fails the run re-applies what it
/// undid. Not subject to the approval policy: it is the way back from a bad release. But in uat and prod a rollback
/// to 0, or one that drops a table holding rows, needs an approval of its plan (<c>approvalId</c>, or an open one).
/// </summary>
public sealed class RollbackMigrations(MigrationPipeline pipeline)
{
    [Function(nameof(RollbackMigrations))]
    [EndpointSummary("Roll back migrations")]
    [EndpointDescription("Master key (or an admin token) only. One down run of the pipeline to target, an applied version (0 for an empty schema): backed up first, smoke-checked after, and re-applied if anything fails. Not subject to the approval policy, but in uat and prod a rollback to 0, or one that drops a table holding rows, needs an approval of its plan (approvalId, or an open one). 200 with the run's report; otherwise a problem carrying it in run.")]
    [ActorHeader]
    [ProblemType(StatusCodes.Status409Conflict, MigrationRoutes.MigrationInProgress, "another migration run holds the migration lock; retry later")]
    [ProblemType(StatusCodes.Status409Conflict, MigrationRoutes.HistoryRefused, "the migration history fails validation (a changed checksum, a failed or missing version); the run is recorded as refused")]
    [ProblemType(StatusCodes.Status409Conflict, MigrationRoutes.TargetConflict, "target is above the database's version or was never applied, or a migration to undo has no down script")]
    [ProblemType(StatusCodes.Status409Conflict, MigrationRoutes.ApprovalRequired, "in uat or prod, the rollback empties the database or drops a table holding rows, and no approval matches; the run is recorded as awaiting approval, run has its report")]
    [ProblemType(StatusCodes.Status409Conflict, MigrationRoutes.ApprovalUnusable, "approvalId names an approval that cannot be used; reason is approval-not-found, approval-expired, approval-used, approval-plan-changed or approval-target-mismatch")]
    [ProblemType(StatusCodes.Status422UnprocessableEntity, MigrationRoutes.MigrationFailed, "a script or a smoke check failed and the batch was undone (or, with run.undoFailure, could not be); run has the failed statement and PostgreSQL's error")]
    [ProblemType(StatusCodes.Status503ServiceUnavailable, MigrationRoutes.BackupFailed, "the backup before the run failed; nothing was applied")]
    [ProblemType(StatusCodes.Status422UnprocessableEntity, MigrationRoutes.UnknownVersion, "target is not one of this build's migration versions")]
    public async Task<Results<Ok<RunReportResponse>, ProblemHttpResult>> Run(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "v1/migrations/rollback")] HttpRequest request,
        RollbackRequest body,
        CancellationToken cancellationToken)
    {
        QueryReader.For(request);
        if (body.Target < 0)
        {
            throw new BadInputException("target", "target must be an applied version, or 0 for an empty schema.");
        }

        return await MigrationRoutes.RunAsync(pipeline, MigrationOperation.Down, body.Target, body.ApprovalId, Actors.Of(request, "anonymous"), cancellationToken);
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Plant.Core.Migrations.Runs;
using Plant.Hosting;
using Plant.Migrate.Wire;

namespace Plant.Migrate.Migrations;

/// <summary>
/// <c>POST /api/v1/migrations/apply</c> with an optional <c>{ "target": 5, "approvalId": "..." }</c>: one run of the
/// pipeline, under the same policy as the schedule except that an operator's request is what the manual policy
/// waits for. Where the policy needs an approval, the named one or else an open one matching the plan is used.
/// </summary>
public sealed class ApplyMigrations(MigrationPipeline pipeline)
{
    [Function(nameof(ApplyMigrations))]
    [JsonRequestBody(typeof(ApplyRequest), Required = false)]
    [EndpointSummary("Apply pending migrations")]
    [EndpointDescription("Master key (or an admin token) only. One run of the migration pipeline up to the body's optional target (the latest when left out), under the environment's policy; an operator's request is what the manual policy waits for. Where the policy needs an approval, the one named by approvalId or else an open one matching the plan is used. The database is backed up first and smoke-checked after; a failed batch is undone. 200 with the run's report when it succeeded or had nothing to do; otherwise a problem carrying it in run.")]
    [ActorHeader]
    [ProblemType(StatusCodes.Status409Conflict, MigrationRoutes.MigrationInProgress, "another migration run holds the migration lock; retry later")]
    [ProblemType(StatusCodes.Status409Conflict, MigrationRoutes.HistoryRefused, "the migration history fails validation (a changed checksum, a failed or missing version), or a pending migration has no down script; the run is recorded as refused")]
    [ProblemType(StatusCodes.Status409Conflict, MigrationRoutes.TargetConflict, "target is below the database's version (roll back instead)")]
    [ProblemType(StatusCodes.Status409Conflict, MigrationRoutes.ApprovalRequired, "the policy needs an approved plan and none matches; the run is recorded as awaiting approval, run has its report")]
    [ProblemType(StatusCodes.Status409Conflict, MigrationRoutes.ApprovalUnusable, "approvalId names an approval that cannot be used; reason is approval-not-found, approval-expired, approval-used, approval-plan-changed or approval-target-mismatch")]
    [ProblemType(StatusCodes.Status422UnprocessableEntity, MigrationRoutes.MigrationFailed, "a script or a smoke check failed and the batch was undone (or, with run.undoFailure, could not be); run has the failed statement and PostgreSQL's error")]
    [ProblemType(StatusCodes.Status503ServiceUnavailable, MigrationRoutes.BackupFailed, "the backup before the run failed; nothing was applied")]
    [ProblemType(StatusCodes.Status422UnprocessableEntity, MigrationRoutes.UnknownVersion, "target is not one of this build's migration versions")]
    public async Task<Results<Ok<RunReportResponse>, ProblemHttpResult>> Run(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "v1/migrations/apply")] HttpRequest request, CancellationToken cancellationToken)
    {
        QueryReader.For(request);
        var body = await JsonBody.ReadOptionalAsync<ApplyRequest>(request, cancellationToken);
        return await MigrationRoutes.RunAsync(pipeline, MigrationOperation.Up, MigrationRoutes.Target(body?.Target, mayRollBack: false), body?.ApprovalId, Actors.Of(request, "anonymous"), cancellationToken);
    }
}

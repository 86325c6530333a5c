using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Plant.Core.Migrations;
using Plant.Core.Migrations.Runs;
using Plant.Hosting;
using Plant.Migrate.Wire;

namespace Plant.Migrate.Migrations;

/// <summary>
/// <c>POST /api/v1/migrations/approvals</c> with <c>{ "planChecksum": "...", "approvedBy": "...", "target": 5, "note": "..." }</c>:
/// approves the plan the operator reviewed (from <c>/plan</c>), up or a rollback; 201 with the approval, which expires and is used once.
/// </summary>
public sealed class ApproveMigrations(MigrationPipeline pipeline, TimeProvider time)
{
    private const int MaxApprovedBy = 200;
    private const int MaxNote = 2000;

    [Function(nameof(ApproveMigrations))]
    [EndpointSummary("Approve a migration plan")]
    [EndpointDescription("Master key (or an admin token) only. Approves the plan the operator reviewed (planChecksum, from Plan a migration) up or down to target: 201 with the approval, which a run uses once before it expires. Audited.")]
    [ActorHeader]
    [ProblemType(StatusCodes.Status409Conflict, MigrationRoutes.MigrationInProgress, "another migration run holds the migration lock; retry later")]
    [ProblemType(StatusCodes.Status409Conflict, MigrationRoutes.HistoryRefused, "the migration history fails validation (a changed checksum, a failed or missing version)")]
    [ProblemType(StatusCodes.Status409Conflict, MigrationRoutes.NothingToApprove, "nothing is pending up to the target: the database is already there")]
    [ProblemType(StatusCodes.Status409Conflict, MigrationRoutes.PlanMismatch, "planChecksum is not the checksum of the current plan to the target; review the plan again")]
    [ProblemType(StatusCodes.Status409Conflict, MigrationRoutes.TargetConflict, "a rollback target that was never applied, or below a migration without a down script")]
    [ProblemType(StatusCodes.Status422UnprocessableEntity, MigrationRoutes.UnknownVersion, "target is not one of this build's migration versions")]
    public async Task<Created<ApprovalResponse>> Run(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "v1/migrations/approvals")] HttpRequest request,
        ApprovalRequestBody body,
        CancellationToken cancellationToken)
    {
        QueryReader.For(request);
        Check(body);
        var approval = await pipeline.ApproveAsync(
            new ApprovalRequest(MigrationRoutes.Target(body.Target, mayRollBack: true), body.PlanChecksum, body.ApprovedBy, body.Note) { Actor = Actors.Of(request, "anonymous") },
            cancellationToken);
        return TypedResults.Created($"/api/v1/migrations/approvals/{approval.Id}", MigrationResponses.Approval(approval, time.GetUtcNow()));
    }

    private static void Check(ApprovalRequestBody body)
    {
        if (!MigrationPlan.IsChecksum(body.PlanChecksum))
        {
            throw new BadInputException("planChecksum", "planChecksum must be the plan's checksum: 64 lowercase hexadecimal characters, as POST /api/v1/migrations/plan gives it.");
        }

        if (string.IsNullOrWhiteSpace(body.ApprovedBy) || body.ApprovedBy.Trim().Length > MaxApprovedBy || !TextInput.IsPlain(body.ApprovedBy))
        {
            throw new BadInputException("approvedBy", $"approvedBy must name who approves, 1 to {MaxApprovedBy} characters.");
        }

        if (body.Note is { } note && (note.Length > MaxNote || !TextInput.IsStorable(note)))
        {
            throw new BadInputException("note", $"note must be at most {MaxNote} characters of text.");
        }
    }
}

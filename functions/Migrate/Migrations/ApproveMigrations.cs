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

using Microsoft.AspNetCore.Http;
using Plant.Core.Migrations;
using Plant.Core.Migrations.Runs;
using Plant.Hosting;

namespace Plant.Migrate.Http;

/// <summary>
/// <c>POST /api/v1/migrations/approvals</c> with <c>{ "planChecksum": "...", "approvedBy": "...", "target": 5, "note": "..." }</c>:
/// approves the plan the operator reviewed (from <c>/plan</c>); 201 with the approval, which expires and is used once.
/// </summary>
public sealed class ApproveMigrations(MigrationPipeline pipeline, TimeProvider time)
{
    private const int MaxApprovedBy = 200;
    private const int MaxNote = 2000;

    [Function(nameof(ApproveMigrations))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "v1/migrations/approvals")] HttpRequest request,
        ApprovalBody body,
        FunctionContext context,
        CancellationToken cancellationToken) =>
        MigrationRoute.AnswerAsync(context, async () =>
        {
            if (Validate(body) is { } invalid)
            {
                return invalid;
            }

            var approval = await pipeline.ApproveAsync(new ApprovalRequest(body.Target, body.PlanChecksum, body.ApprovedBy, body.Note) { Actor = MigrationRoute.Actor }, cancellationToken);
            return Results.Created($"/api/v1/migrations/approvals/{approval.Id}", MigrationResponses.Approval(approval, time.GetUtcNow()));
        });

    private static IResult? Validate(ApprovalBody body)
    {
        if (!MigrationPlan.IsChecksum(body.PlanChecksum))
        {
            return MigrationProblems.BadField("planChecksum", "must be the plan's checksum: 64 lowercase hexadecimal characters, as POST /api/v1/migrations/plan gives it.");
        }

        if (string.IsNullOrWhiteSpace(body.ApprovedBy) || body.ApprovedBy.Trim().Length > MaxApprovedBy)
        {
            return MigrationProblems.BadField("approvedBy", $"must name who approves, 1 to {MaxApprovedBy} characters.");
        }

        if (body.Target is < 1)
        {
            return MigrationProblems.BadField("target", "must be a version, 1 or more.");
        }

        return body.Note is { Length: > MaxNote } ? MigrationProblems.BadField("note", $"must be at most {MaxNote} characters.") : null;
    }
}

/// <summary>The approvals route's body.</summary>
/// <param name="PlanChecksum">The checksum of the plan reviewed.</param>
/// <param name="ApprovedBy">Who approves.</param>
/// <param name="Target">The plan's target; the latest when left out.</param>
/// <param name="Note">Why, or a change ticket.</param>
public sealed record ApprovalBody(string PlanChecksum, string ApprovedBy, int? Target = null, string? Note = null);

using Microsoft.AspNetCore.Http;
using Plant.Core.Migrations.Runs;
using Plant.Hosting;

namespace Plant.Migrate.Http;

/// <summary>
/// <c>POST /api/v1/migrations/apply</c> with an optional <c>{ "target": 5, "approvalId": "..." }</c>: one run of the
/// pipeline, under the same policy as the schedule except that an operator's request is what the manual policy
/// waits for. Where the policy needs an approval, the named one or else an open one matching the plan is used.
/// </summary>
public sealed class ApplyMigrations(MigrationPipeline pipeline)
{
    [Function(nameof(ApplyMigrations))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "v1/migrations/apply")] HttpRequest request, FunctionContext context, CancellationToken cancellationToken) =>
        MigrationRoute.AnswerAsync(context, async () =>
        {
            var (body, problem) = await OptionalJsonBody.ReadAsync<ApplyRequest>(request, cancellationToken);
            if (problem is not null)
            {
                return problem;
            }

            if (body?.Target is < 1)
            {
                return MigrationProblems.BadField("target", "must be a version, 1 or more.");
            }

            var report = await pipeline.RunAsync(new MigrationRunRequest
            {
                Operation = MigrationOperation.Up,
                Trigger = MigrationTrigger.Http,
                RequestedBy = MigrationRoute.Actor,
                Target = body?.Target,
                ApprovalId = body?.ApprovalId,
            }, cancellationToken);
            return MigrationProblems.ForRun(report);
        });
}

/// <summary>The apply route's body.</summary>
/// <param name="Target">The version to go to; the latest (or the approval's target) when left out.</param>
/// <param name="ApprovalId">The approval to use.</param>
public sealed record ApplyRequest(int? Target = null, Guid? ApprovalId = null);

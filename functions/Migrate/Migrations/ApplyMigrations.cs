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
    public async Task<Results<Ok<RunReportResponse>, ProblemHttpResult>> Run(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "v1/migrations/apply")] HttpRequest request, CancellationToken cancellationToken)
    {
        QueryReader.For(request);
        var body = await JsonBody.ReadOptionalAsync<ApplyRequest>(request, cancellationToken);
        return await MigrationRoutes.RunAsync(pipeline, MigrationOperation.Up, MigrationRoutes.Target(body?.Target, mayRollBack: false), body?.ApprovalId, Actors.Of(request, "anonymous"), cancellationToken);
    }
}

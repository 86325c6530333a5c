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

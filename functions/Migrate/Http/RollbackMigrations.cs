using Microsoft.AspNetCore.Http;
using Plant.Core.Migrations.Runs;
using Plant.Hosting;

namespace Plant.Migrate.Http;

/// <summary>
/// <c>POST /api/v1/migrations/rollback</c> with <c>{ "target": 3 }</c>: one down run of the pipeline to an applied
/// version (0 for empty), backed up first and smoke-checked after; if anything fails the run re-applies what it
/// undid. Not subject to the approval policy: it is the way back from a bad release.
/// </summary>
public sealed class RollbackMigrations(MigrationPipeline pipeline)
{
    [Function(nameof(RollbackMigrations))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "v1/migrations/rollback")] HttpRequest request,
        RollbackRequest body,
        FunctionContext context,
        CancellationToken cancellationToken) =>
        MigrationRoute.AnswerAsync(context, async () =>
        {
            if (body.Target < 0)
            {
                return MigrationProblems.BadField("target", "must be an applied version, or 0 for an empty schema.");
            }

            var report = await pipeline.RunAsync(new MigrationRunRequest
            {
                Operation = MigrationOperation.Down,
                Trigger = MigrationTrigger.Http,
                RequestedBy = MigrationRoute.Actor,
                Target = body.Target,
            }, cancellationToken);
            return MigrationProblems.ForRun(report);
        });
}

/// <summary>The rollback route's body.</summary>
/// <param name="Target">The version to roll back to.</param>
public sealed record RollbackRequest(int Target);

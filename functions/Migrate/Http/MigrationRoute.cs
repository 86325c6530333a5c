using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;
using Plant.Core.Migrations.Runs;
using Plant.Hosting;

namespace Plant.Migrate.Http;

/// <summary>What every migration route does with a refusal and a database failure: a problem, never a 500.</summary>
internal static class MigrationRoute
{
    /// <summary>Who the run reports and the audit trail name for these routes: they take only the master key.</summary>
    public const string Actor = "master";

    public static async Task<IResult> AnswerAsync(FunctionContext context, Func<Task<IResult>> body)
    {
        try
        {
            return await body();
        }
        catch (MigrationRefusedException refusal)
        {
            return MigrationProblems.ForRefusal(refusal);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            context.GetLogger("Plant.Migrate").LogError(e, "Migration route {Function} could not use the database", context.FunctionDefinition.Name);
            return MigrationProblems.Unavailable();
        }
    }
}

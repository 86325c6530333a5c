using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;
using Plant.Core.Retention;
using Plant.Hosting;
using Plant.Migrate.Http;

namespace Plant.Migrate.Retention;

/// <summary>
/// <c>POST /api/v1/retention/purge</c> (master key): runs the retention purge now and answers its report.
/// <c>dryRun</c> (query <c>?dryRun=true</c> or body <c>{ "dryRun": true }</c>) reports what would go and changes nothing.
/// </summary>
public sealed class RunRetentionPurge(RetentionPurge purge)
{
    /// <summary>The problem type of a purge refused because another is running.</summary>
    public const string PurgeInProgress = "purge-in-progress";

    /// <summary>The actor the audit trail records: the admin level accepts the master key only.</summary>
    public const string Actor = "master";

    [Function(nameof(RunRetentionPurge))]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "v1/retention/purge")] HttpRequest request, FunctionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (body, problem) = await OptionalJsonBody.ReadAsync<PurgeRequestBody>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        bool? fromQuery = null;
        if (request.Query.TryGetValue("dryRun", out var values))
        {
            if (values.Count != 1 || !TryParseBoolean(values[0], out var parsed))
            {
                return MigrationProblems.BadField("dryRun", $"must be true or false; got '{string.Join(",", values.ToArray())}'.");
            }

            fromQuery = parsed;
        }

        if (fromQuery is { } q && body?.DryRun is { } b && q != b)
        {
            return MigrationProblems.BadField("dryRun", "the query and the body disagree; give it once.");
        }

        try
        {
            var report = await purge.RunAsync(new PurgeRequest { DryRun = fromQuery ?? body?.DryRun ?? false, Actor = Actor }, cancellationToken);
            return Results.Ok(report.ToJson());
        }
        catch (RetentionBusyException e)
        {
            return Problems.Result(StatusCodes.Status409Conflict, PurgeInProgress, "Purge in progress", e.Message);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            context.GetLogger<RunRetentionPurge>().LogError(e, "The retention purge could not use the database");
            return MigrationProblems.Unavailable();
        }
    }

    private static bool TryParseBoolean(string? value, out bool result)
    {
        switch (value?.Trim().ToUpperInvariant())
        {
            case "TRUE" or "1":
                result = true;
                return true;
            case "FALSE" or "0":
                result = false;
                return true;
            default:
                result = false;
                return false;
        }
    }
}

/// <summary>The purge route's optional body.</summary>
/// <param name="DryRun">Report what would go and change nothing.</param>
public sealed record PurgeRequestBody(bool? DryRun = null);

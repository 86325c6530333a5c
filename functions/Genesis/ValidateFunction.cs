using Microsoft.AspNetCore.Http;
using Npgsql;
using Plant.Core.Catalog;
using Plant.Core.Genesis;
using Plant.Genesis.Http;
using Plant.Hosting;

namespace Plant.Genesis;

/// <summary>Checks a draft of any type without writing anything: what the catalog could not store, and the constitution's report.</summary>
public sealed class ValidateFunction(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Body: a draft with its <c>entityType</c> (industry, skill, job_role, team, agent). Answers 200 with
    /// <c>{ entityType, storable, errors, valid, violations }</c>: <c>valid</c> means certification would pass today.
    /// </summary>
    [Function(nameof(ValidateDraft))]
    public async Task<IResult> ValidateDraft(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/genesis/validate")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var (draft, problem) = await GenesisRequests.ReadAnyDraftAsync(request, cancellationToken);
        if (draft is null)
        {
            return problem!;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var check = await DraftChecker.CheckAsync(connection, null, draft, null, cancellationToken);
        var body = GenesisResponses.Report(check.Report);
        body["entityType"] = draft.EntityType.SchemaName();
        body["storable"] = check.Storable;
        body["errors"] = System.Text.Json.JsonSerializer.SerializeToNode(check.Errors.Select(e => new { field = e.Field, message = e.Message }));
        return Results.Json(body);
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Npgsql;
using Plant.Core.Catalog;
using Plant.Core.Genesis;
using Plant.Genesis.Wire;
using Plant.Hosting;

namespace Plant.Genesis.Entities;

/// <summary>
/// <c>POST /api/v1/genesis/validate</c> with a draft and its <c>entityType</c> (industry, skill, job_role, team,
/// agent): what the catalog could not store, and the constitution's report; <c>valid</c> means certification would
/// pass today. Writes nothing.
/// </summary>
public sealed class ValidateDraft(NpgsqlDataSource dataSource)
{
    [Function(nameof(ValidateDraft))]
    [JsonRequestBody(typeof(EntityDraft))]
    [EndpointSummary("Validate a draft")]
    [EndpointDescription("Checks a draft of any type, named by its entityType member (industry, skill, job_role, team, agent): storable and errors say what the catalog could not store, valid and violations what the constitution says; valid means certification would pass today. Writes nothing.")]
    public async Task<Ok<ValidationResponse>> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/genesis/validate")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        QueryReader.For(request);
        var draft = await GenesisRequests.ReadAnyDraftAsync(request, cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var check = await DraftChecker.CheckAsync(connection, null, draft, null, cancellationToken);
        var report = ReportResponse.From(check.Report);
        return TypedResults.Ok(new ValidationResponse(
            report.Valid, report.Violations, draft.EntityType.SchemaName(), check.Storable, FieldErrorResponse.From(check.Errors)));
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Plant.Core.Catalog;
using Plant.Core.Constitution;
using Plant.Core.Genesis;
using Plant.Hosting;

namespace Plant.Genesis.Http;

/// <summary>Genesis's answers: written entities with their reports, and a problem for every refusal (docs/GENESIS.md, docs/PROBLEMS.md).</summary>
internal static class GenesisResponses
{
    /// <summary>412: the If-Match version is not the current one.</summary>
    public const string PreconditionFailed = "precondition-failed";

    /// <summary>422: a draft the catalog cannot store; nothing was written.</summary>
    public const string DraftRejected = "draft-rejected";

    /// <summary>422: certification found constitution violations; the version is marked rejected.</summary>
    public const string CertificationFailed = "certification-failed";

    /// <summary>409: the stored version does not hash to its recorded content hash.</summary>
    public const string VersionAltered = "version-altered";

    /// <summary>201 with the new version, its report, its Location and ETag.</summary>
    public static IResult Written(EntityWriteResult result, string location)
    {
        var body = EntityResponses.Entity(result.Entity!);
        body["validation"] = Report(result.Check!.Report);
        return new HeaderResult(Results.Json(body, statusCode: StatusCodes.Status201Created),
            ("Location", location), ("ETag", GenesisRequests.ETag(result.Entity!.Version)));
    }

    /// <summary>An answer with the ETag of a version.</summary>
    public static IResult WithETag(IResult result, int version) => new HeaderResult(result, ("ETag", GenesisRequests.ETag(version)));

    /// <summary>The problem for a write that did not happen (or, for Unchanged, the entity as it is).</summary>
    public static IResult Refusal(EntityWriteResult result, EntityType type, Guid? id, int? ifMatch) => result.Outcome switch
    {
        WriteOutcome.Unchanged => WithETag(Results.Json(EntityResponses.Entity(result.Entity!)), result.Entity!.Version),
        WriteOutcome.NotFound => NotFound(type, id!.Value),
        WriteOutcome.PreconditionFailed => Stale(result.Entity!, ifMatch),
        WriteOutcome.Conflict => Problems.Result(StatusCodes.Status409Conflict, Problems.Conflict, "Conflict", result.Detail!,
            new Dictionary<string, object?> { ["lifecycleStatus"] = result.Entity!.Status.SchemaName(), ["currentVersion"] = result.Entity.Version }),
        WriteOutcome.Rejected => Problems.Result(StatusCodes.Status422UnprocessableEntity, DraftRejected, "Draft rejected",
            "The catalog cannot store this draft; nothing was written. 'errors' names each field at fault; 'violations' is the constitution's report.",
            new Dictionary<string, object?>
            {
                ["errors"] = result.Check!.Errors.Select(e => new { field = e.Field, message = e.Message }).ToArray(),
                ["violations"] = Violations(result.Check.Report),
            }),
        _ => throw new InvalidOperationException($"{result.Outcome} is not a refusal."),
    };

    /// <summary>404 for an entity id that names no entity of the type.</summary>
    public static IResult NotFound(EntityType type, Guid id) =>
        Problems.Result(StatusCodes.Status404NotFound, Problems.NotFound, "Not found", $"There is no {type.DisplayName()} {id}.");

    /// <summary>412 naming the current version, with its ETag.</summary>
    public static IResult Stale(EntityVersion current, int? ifMatch) => WithETag(
        Problems.Result(StatusCodes.Status412PreconditionFailed, PreconditionFailed, "Precondition failed",
            $"If-Match names version {ifMatch}, but the current version is {current.Version}; read it again and retry.",
            new Dictionary<string, object?> { ["currentVersion"] = current.Version }),
        current.Version);

    /// <summary>503 when the embedding service fails while a skill is written.</summary>
    public static IResult EmbedderUnavailable() =>
        Problems.Result(StatusCodes.Status503ServiceUnavailable, Problems.Unavailable, "Unavailable",
            "The embedding service did not answer, so the skill was not written; retry later.");

    /// <summary>A report as JSON: <c>{ valid, violations: [{ ruleId, severity, field, message }] }</c>.</summary>
    public static JsonObject Report(ValidationReport report) => new()
    {
        ["valid"] = report.Valid,
        ["violations"] = JsonNode.Parse(ViolationsJson.Serialize(report)),
    };

    /// <summary>The violations of a report, for a problem's extension member.</summary>
    public static JsonElement Violations(ValidationReport report) => JsonElement.Parse(ViolationsJson.Serialize(report));

    /// <summary>Sets response headers, then runs the result.</summary>
    private sealed class HeaderResult(IResult inner, params (string Name, string Value)[] headers) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            foreach (var (name, value) in headers)
            {
                httpContext.Response.Headers[name] = value;
            }

            return inner.ExecuteAsync(httpContext);
        }
    }
}

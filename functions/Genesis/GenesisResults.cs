using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Plant.Core.Catalog;
using Plant.Core.Genesis;
using Plant.Genesis.Wire;
using Plant.Hosting;

namespace Plant.Genesis;

/// <summary>Genesis's answers to a write, and its problems: a refused write, a stale precondition, an unknown type or entity (docs/GENESIS.md, docs/PROBLEMS.md).</summary>
internal static class GenesisResults
{
    /// <summary>412: the If-Match version is not the current one.</summary>
    public const string PreconditionFailed = "precondition-failed";

    /// <summary>428: an amendment that does not say which version it replaces.</summary>
    public const string PreconditionRequired = "precondition-required";

    /// <summary>422: a draft the catalog cannot store; nothing was written.</summary>
    public const string DraftRejected = "draft-rejected";

    /// <summary>422: certification found constitution violations; the version is marked rejected.</summary>
    public const string CertificationFailed = "certification-failed";

    /// <summary>409: the stored version does not hash to its recorded content hash.</summary>
    public const string VersionAltered = "version-altered";

    /// <summary>404 for a route segment that names no catalog type.</summary>
    public static ProblemHttpResult UnknownType(string segment) => Problems.NotFoundResult(
        $"'{BadInputException.Shorten(segment)}' is not a catalog type; use one of {string.Join(", ", EntityTypes.All.Select(t => t.RouteSegment()))}.");

    /// <summary>404 for an entity id that names no entity of the type.</summary>
    public static ProblemHttpResult NotFound(EntityType type, Guid id) => Problems.NotFoundResult($"There is no {type.DisplayName()} {id}.");

    /// <summary>412 naming the current version, whose ETag the response carries.</summary>
    public static ProblemHttpResult Stale(HttpResponse response, EntityVersion current, int? ifMatch)
    {
        response.GetTypedHeaders().ETag = GenesisRequests.ETag(current.Version);
        return Problems.Result(StatusCodes.Status412PreconditionFailed, PreconditionFailed, "Precondition failed",
            $"If-Match names version {ifMatch}, but the current version is {current.Version}; read it again and retry.",
            new Dictionary<string, object?> { ["currentVersion"] = current.Version });
    }

    /// <summary>428: an amendment without <c>If-Match</c>, which could overwrite a version its author never read.</summary>
    public static ProblemHttpResult IfMatchRequired() =>
        Problems.Result(StatusCodes.Status428PreconditionRequired, PreconditionRequired, "Precondition required",
            "An amendment must name the version it replaces in If-Match (the ETag of the entity as read, \"3\"), or * to replace whichever is current.",
            Problems.ParameterMember(Microsoft.Net.Http.Headers.HeaderNames.IfMatch));

    /// <summary>503 when the embedding service fails while a skill is written.</summary>
    public static ProblemHttpResult EmbedderUnavailable(HttpResponse response) =>
        Problems.UnavailableResult(response, "The entity's embedding could not be computed now, so nothing was written; retry later.");

    /// <summary>The problem for a write that did not happen.</summary>
    public static ProblemHttpResult Refusal(HttpResponse response, EntityWriteResult result, EntityType type, Guid? id, int? ifMatch) => result.Outcome switch
    {
        WriteOutcome.NotFound => NotFound(type, id!.Value),
        WriteOutcome.PreconditionFailed => Stale(response, result.Entity!, ifMatch),
        WriteOutcome.Conflict => Problems.Result(StatusCodes.Status409Conflict, Problems.Conflict, "Conflict", result.Detail!,
            new Dictionary<string, object?> { ["lifecycleStatus"] = result.Entity!.Status.SchemaName(), ["currentVersion"] = result.Entity.Version }),
        WriteOutcome.Rejected => Problems.Result(StatusCodes.Status422UnprocessableEntity, DraftRejected, "Draft rejected",
            "The catalog cannot store this draft; nothing was written. 'errors' names each field at fault; 'violations' is the constitution's report.",
            new Dictionary<string, object?>
            {
                ["errors"] = FieldErrorResponse.From(result.Check!.Errors),
                ["violations"] = ReportResponse.ViolationsOf(result.Check.Report),
            }),
        _ => throw new InvalidOperationException($"{result.Outcome} is not a refusal."),
    };

    /// <summary>200 with an entity's current version and its ETag: a change that was already made.</summary>
    public static Ok<EntityResponse> Current(HttpResponse response, EntityVersion entity)
    {
        response.GetTypedHeaders().ETag = GenesisRequests.ETag(entity.Version);
        return TypedResults.Ok(EntityResponse.From(entity));
    }

    /// <summary>201 with the new version, its report, its Location and ETag.</summary>
    public static Created<EntityResponse> Written(HttpResponse response, EntityWriteResult result)
    {
        var entity = result.Entity!;
        response.GetTypedHeaders().ETag = GenesisRequests.ETag(entity.Version);
        return TypedResults.Created(
            $"/api/v1/genesis/{entity.EntityType.RouteSegment()}/{entity.EntityId}",
            EntityResponse.From(entity) with { Validation = ReportResponse.From(result.Check!.Report) });
    }
}

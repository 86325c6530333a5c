using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Plant.Core.Catalog;
using Plant.Core.Genesis;
using Plant.Genesis.Wire;
using Plant.Hosting;

namespace Plant.Genesis.Certification;

/// <summary>
/// <c>POST /api/v1/genesis/{type}/{id}/certify</c> (master key): checks the current version against the
/// constitution and, if it passes, signs a certificate (201; 200 when it was certified already). 422 with every
/// violation when it fails; the version is then marked rejected.
/// </summary>
public sealed class CertifyEntity(Certifier certifier)
{
    [Function(nameof(CertifyEntity))]
    [EndpointSummary("Certify an entity")]
    [EndpointDescription("Master key (or an admin token) only. Checks the current version against the constitution and, if it passes, signs and stores a certificate: 201, and the version is certified (a draft becomes active). 200 with the existing certificate when the version is certified already. When it fails, 422 with every violation, and the version is marked rejected. With If-Match, 412 unless it names the current version.")]
    [EntityTypeSegment]
    [IfMatchVersion(required: false)]
    [ActorHeader]
    [ProblemType(StatusCodes.Status409Conflict, GenesisResults.VersionAltered, "the stored version no longer hashes to its recorded content hash (it was changed outside Genesis); it is not certified")]
    [ProblemType(StatusCodes.Status409Conflict, Problems.Conflict, "the entity is retired; a retired entity is never certified")]
    [ProblemType(StatusCodes.Status412PreconditionFailed, GenesisResults.PreconditionFailed, "If-Match names a version that is not the current one; currentVersion and the ETag header name the current one; nothing was written")]
    [ProblemType(StatusCodes.Status422UnprocessableEntity, GenesisResults.CertificationFailed, "the version breaks the constitution (violations lists every violation); it is marked rejected")]
    public async Task<Results<Created<CertifiedResponse>, Ok<CertifiedResponse>, ProblemHttpResult>> Run(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "v1/genesis/{type}/{id:guid}/certify")] HttpRequest request,
        string type, Guid id, CancellationToken cancellationToken)
    {
        if (!EntityTypes.TryParseRouteSegment(type, out var entityType))
        {
            return GenesisResults.UnknownType(type);
        }

        QueryReader.For(request);
        var actor = Actors.Of(request, anonymous: "genesis-api");
        var ifMatch = GenesisRequests.IfMatchVersion(request);
        var result = await certifier.CertifyAsync(entityType, id, ifMatch, actor, cancellationToken);
        var response = request.HttpContext.Response;
        if (result.Outcome is CertifyOutcome.Issued or CertifyOutcome.AlreadyCertified)
        {
            response.GetTypedHeaders().ETag = GenesisRequests.ETag(result.Entity!.Version);
        }

        return result.Outcome switch
        {
            CertifyOutcome.Issued => TypedResults.Created((string?)null, CertifiedResponse.From(result)),
            CertifyOutcome.AlreadyCertified => TypedResults.Ok(CertifiedResponse.From(result)),
            CertifyOutcome.Rejected => Problems.Result(StatusCodes.Status422UnprocessableEntity, GenesisResults.CertificationFailed, "Certification failed",
                $"Version {result.Entity!.Version} breaks the constitution; it is marked rejected. 'violations' lists every violation.",
                new Dictionary<string, object?> { ["version"] = result.Entity.Version, ["violations"] = ReportResponse.ViolationsOf(result.Report!) }),
            CertifyOutcome.Tampered => Problems.Result(StatusCodes.Status409Conflict, GenesisResults.VersionAltered, "Version altered", result.Detail!,
                new Dictionary<string, object?> { ["version"] = result.Entity!.Version }),
            CertifyOutcome.NotFound => GenesisResults.NotFound(entityType, id),
            CertifyOutcome.PreconditionFailed => GenesisResults.Stale(response, result.Entity!, ifMatch),
            _ => Problems.Result(StatusCodes.Status409Conflict, Problems.Conflict, "Conflict", result.Detail!),
        };
    }
}

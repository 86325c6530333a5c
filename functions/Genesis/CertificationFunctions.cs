using Microsoft.AspNetCore.Http;
using Plant.Core.Catalog;
using Plant.Core.Genesis;
using Plant.Genesis.Http;
using Plant.Hosting;

namespace Plant.Genesis;

/// <summary>Certification and lifecycle changes of an entity's current version; master key only.</summary>
public sealed class CertificationFunctions(Certifier certifier, EntityStore store)
{
    [Function(nameof(CertifyEntity))]
    public async Task<IResult> CertifyEntity(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "v1/genesis/{type}/{id}/certify")] HttpRequest request,
        string type, Guid id, CancellationToken cancellationToken)
    {
        if (!GenesisRequests.TryType(type, out var entityType, out var problem)
            || !GenesisRequests.TryActor(request, out var actor, out problem)
            || !GenesisRequests.TryIfMatch(request, out var ifMatch, out problem))
        {
            return problem;
        }

        var result = await certifier.CertifyAsync(entityType, id, ifMatch, actor, cancellationToken);
        return result.Outcome switch
        {
            CertifyOutcome.Issued => GenesisResponses.WithETag(
                Results.Json(CertificateResponses.Certified(result), statusCode: StatusCodes.Status201Created), result.Entity!.Version),
            CertifyOutcome.AlreadyCertified => GenesisResponses.WithETag(Results.Json(CertificateResponses.Certified(result)), result.Entity!.Version),
            CertifyOutcome.Rejected => Problems.Result(StatusCodes.Status422UnprocessableEntity, GenesisResponses.CertificationFailed, "Certification failed",
                $"Version {result.Entity!.Version} breaks the constitution; it is marked rejected. 'violations' lists every violation.",
                new Dictionary<string, object?> { ["version"] = result.Entity.Version, ["violations"] = GenesisResponses.Violations(result.Report!) }),
            CertifyOutcome.Tampered => Problems.Result(StatusCodes.Status409Conflict, GenesisResponses.VersionAltered, "Version altered", result.Detail!,
                new Dictionary<string, object?> { ["version"] = result.Entity!.Version }),
            CertifyOutcome.NotFound => GenesisResponses.NotFound(entityType, id),
            CertifyOutcome.PreconditionFailed => GenesisResponses.Stale(result.Entity!, ifMatch),
            _ => Problems.Result(StatusCodes.Status409Conflict, Problems.Conflict, "Conflict", result.Detail!),
        };
    }

    [Function(nameof(SuspendEntity))]
    public Task<IResult> SuspendEntity(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "v1/genesis/{type}/{id}/suspend")] HttpRequest request,
        string type, Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(request, type, id, LifecycleChange.Suspend, cancellationToken);

    [Function(nameof(ReinstateEntity))]
    public Task<IResult> ReinstateEntity(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "v1/genesis/{type}/{id}/reinstate")] HttpRequest request,
        string type, Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(request, type, id, LifecycleChange.Reinstate, cancellationToken);

    [Function(nameof(RetireEntity))]
    public Task<IResult> RetireEntity(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "v1/genesis/{type}/{id}/retire")] HttpRequest request,
        string type, Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(request, type, id, LifecycleChange.Retire, cancellationToken);

    private async Task<IResult> ChangeAsync(HttpRequest request, string type, Guid id, LifecycleChange change, CancellationToken ct)
    {
        if (!GenesisRequests.TryType(type, out var entityType, out var problem)
            || !GenesisRequests.TryActor(request, out var actor, out problem)
            || !GenesisRequests.TryIfMatch(request, out var ifMatch, out problem))
        {
            return problem;
        }

        var result = await store.ChangeLifecycleAsync(entityType, id, change, ifMatch, actor, ct);
        return result.Outcome == WriteOutcome.Written
            ? GenesisResponses.WithETag(Results.Json(EntityResponses.Entity(result.Entity!)), result.Entity!.Version)
            : GenesisResponses.Refusal(result, entityType, id, ifMatch);
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Plant.Core.Catalog;
using Plant.Core.Genesis;
using Plant.Genesis.Wire;
using Plant.Hosting;

namespace Plant.Genesis.Certification;

/// <summary>
/// <c>POST /api/v1/genesis/{type}/{id}/suspend</c>, <c>/reinstate</c> and <c>/retire</c> (master key): a lifecycle
/// change of the current version (200 with it; 409 when the change does not apply to its status).
/// </summary>
public sealed class ChangeLifecycle(EntityStore store)
{
    [Function(nameof(SuspendEntity))]
    [EndpointSummary("Suspend an entity")]
    [EndpointDescription("Master key (or an admin token) only. Takes an active entity out of service: 200 with its current version, suspended. Suspending a suspended entity answers it and records nothing. With If-Match, 412 unless it names the current version.")]
    [EntityTypeSegment]
    [IfMatchVersion(required: false)]
    [ActorHeader]
    [ProblemType(StatusCodes.Status409Conflict, Problems.Conflict, "the entity is a draft or retired: only an active or suspended entity is suspended (lifecycleStatus, currentVersion)")]
    [ProblemType(StatusCodes.Status412PreconditionFailed, GenesisResults.PreconditionFailed, "If-Match names a version that is not the current one; currentVersion and the ETag header name the current one; nothing was written")]
    public Task<Results<Ok<EntityResponse>, ProblemHttpResult>> SuspendEntity(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "v1/genesis/{type}/{id:guid}/suspend")] HttpRequest request,
        string type, Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(request, type, id, LifecycleChange.Suspend, cancellationToken);

    [Function(nameof(ReinstateEntity))]
    [EndpointSummary("Reinstate an entity")]
    [EndpointDescription("Master key (or an admin token) only. Puts a suspended entity whose current version is certified back in service: 200 with its current version, active. Reinstating an active entity answers it and records nothing. With If-Match, 412 unless it names the current version.")]
    [EntityTypeSegment]
    [IfMatchVersion(required: false)]
    [ActorHeader]
    [ProblemType(StatusCodes.Status409Conflict, Problems.Conflict, "the entity is a draft or retired, or suspended with a current version that is not certified (lifecycleStatus, currentVersion)")]
    [ProblemType(StatusCodes.Status412PreconditionFailed, GenesisResults.PreconditionFailed, "If-Match names a version that is not the current one; currentVersion and the ETag header name the current one; nothing was written")]
    public Task<Results<Ok<EntityResponse>, ProblemHttpResult>> ReinstateEntity(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "v1/genesis/{type}/{id:guid}/reinstate")] HttpRequest request,
        string type, Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(request, type, id, LifecycleChange.Reinstate, cancellationToken);

    [Function(nameof(RetireEntity))]
    [EndpointSummary("Retire an entity")]
    [EndpointDescription("Master key (or an admin token) only. Retires the entity for good, from any status: 200 with its current version, retired; a retired entity is never amended, certified or reinstated. Retiring a retired entity answers it and records nothing. With If-Match, 412 unless it names the current version.")]
    [EntityTypeSegment]
    [IfMatchVersion(required: false)]
    [ActorHeader]
    [ProblemType(StatusCodes.Status412PreconditionFailed, GenesisResults.PreconditionFailed, "If-Match names a version that is not the current one; currentVersion and the ETag header name the current one; nothing was written")]
    public Task<Results<Ok<EntityResponse>, ProblemHttpResult>> RetireEntity(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "v1/genesis/{type}/{id:guid}/retire")] HttpRequest request,
        string type, Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(request, type, id, LifecycleChange.Retire, cancellationToken);

    private async Task<Results<Ok<EntityResponse>, ProblemHttpResult>> ChangeAsync(
        HttpRequest request, string type, Guid id, LifecycleChange change, CancellationToken ct)
    {
        if (!EntityTypes.TryParseRouteSegment(type, out var entityType))
        {
            return GenesisResults.UnknownType(type);
        }

        QueryReader.For(request);
        var actor = Actors.Of(request, anonymous: "genesis-api");
        var ifMatch = GenesisRequests.IfMatchVersion(request);
        var result = await store.ChangeLifecycleAsync(entityType, id, change, ifMatch, actor, ct);
        return result.Outcome is WriteOutcome.Written or WriteOutcome.Unchanged
            ? GenesisResults.Current(request.HttpContext.Response, result.Entity!)
            : GenesisResults.Refusal(request.HttpContext.Response, result, entityType, id, ifMatch);
    }
}

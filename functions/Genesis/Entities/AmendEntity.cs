using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Plant.Core.Catalog;
using Plant.Core.Embeddings;
using Plant.Core.Genesis;
using Plant.Genesis.Wire;
using Plant.Hosting;

namespace Plant.Genesis.Entities;

/// <summary>
/// <c>POST /api/v1/genesis/{type}/{id}/amendments</c> with the whole new draft: the next version, linked to the
/// current one by hash (201). <c>If-Match</c> is required (428 without it): 412 unless it names the current
/// version, or is <c>*</c>.
/// </summary>
public sealed class AmendEntity(EntityStore store)
{
    [Function(nameof(AmendEntity))]
    [JsonRequestBody(typeof(IndustryDraft), typeof(SkillDraft), typeof(JobRoleDraft), typeof(TeamDraft), typeof(AgentDraft))]
    [EndpointSummary("Amend an entity")]
    [EndpointDescription("Stores the whole new draft as the next version, linked to the current one by its content hash (201 with the new version, its Location and ETag). If-Match must name the version replaced (428 without it; * for whichever is current); 412 when it is not current. The new version is a draft again (a suspended entity stays suspended): the entity is out of service until the new version is certified.")]
    [EntityTypeSegment]
    [IfMatchVersion(required: true)]
    [ActorHeader]
    [ProblemType(StatusCodes.Status409Conflict, Problems.Conflict, "the entity is retired; a retired entity is never amended (lifecycleStatus, currentVersion)")]
    [ProblemType(StatusCodes.Status412PreconditionFailed, GenesisResults.PreconditionFailed, "If-Match names a version that is not the current one; currentVersion and the ETag header name the current one; nothing was written")]
    [ProblemType(StatusCodes.Status422UnprocessableEntity, GenesisResults.DraftRejected, "the catalog cannot store the draft (errors names each field at fault, violations is the constitution's report); nothing was written")]
    [ProblemType(StatusCodes.Status428PreconditionRequired, GenesisResults.PreconditionRequired, "If-Match is absent: an amendment must name the version it replaces, or *")]
    [ProblemType(StatusCodes.Status503ServiceUnavailable, Problems.Unavailable, "a skill's embedding cannot be computed now, or the database cannot answer; nothing was written; see Retry-After")]
    public async Task<Results<Created<EntityResponse>, Ok<EntityResponse>, ProblemHttpResult>> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/genesis/{type}/{id:guid}/amendments")] HttpRequest request,
        string type, Guid id, CancellationToken cancellationToken)
    {
        if (!EntityTypes.TryParseRouteSegment(type, out var entityType))
        {
            return GenesisResults.UnknownType(type);
        }

        QueryReader.For(request);
        var actor = Actors.Of(request, anonymous: "genesis-api");
        if (request.Headers.IfMatch.Count == 0)
        {
            return GenesisResults.IfMatchRequired();
        }

        var ifMatch = GenesisRequests.IfMatchVersion(request);
        var draft = await GenesisRequests.ReadDraftAsync(request, entityType, cancellationToken);
        EntityWriteResult result;
        try
        {
            result = await store.AmendAsync(entityType, id, draft, ifMatch, actor, cancellationToken);
        }
        catch (EmbedderException)
        {
            return GenesisResults.EmbedderUnavailable(request.HttpContext.Response);
        }

        return result.Outcome switch
        {
            WriteOutcome.Written => GenesisResults.Written(request.HttpContext.Response, result),
            WriteOutcome.Unchanged => GenesisResults.Current(request.HttpContext.Response, result.Entity!),
            _ => GenesisResults.Refusal(request.HttpContext.Response, result, entityType, id, ifMatch),
        };
    }
}

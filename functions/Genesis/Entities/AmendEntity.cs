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

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
/// <c>POST /api/v1/genesis/{type}</c>: a new entity's draft (version 1), with its validation report; 201 with its
/// Location and ETag, or 422 when the catalog cannot store it. <c>{type}</c> is industries, skills, job-roles, teams or agents.
/// </summary>
public sealed class CreateEntity(EntityStore store)
{
    [Function(nameof(CreateEntity))]
    public async Task<Results<Created<EntityResponse>, ProblemHttpResult>> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/genesis/{type}")] HttpRequest request,
        string type, CancellationToken cancellationToken)
    {
        if (!EntityTypes.TryParseRouteSegment(type, out var entityType))
        {
            return GenesisResults.UnknownType(type);
        }

        QueryReader.For(request);
        var actor = Actors.Of(request, anonymous: "genesis-api");
        var draft = await GenesisRequests.ReadDraftAsync(request, entityType, cancellationToken);
        EntityWriteResult result;
        try
        {
            result = await store.CreateAsync(draft, actor, cancellationToken);
        }
        catch (EmbedderException)
        {
            return GenesisResults.EmbedderUnavailable(request.HttpContext.Response);
        }

        return result.Outcome == WriteOutcome.Written
            ? GenesisResults.Written(request.HttpContext.Response, result)
            : GenesisResults.Refusal(request.HttpContext.Response, result, entityType, null, null);
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Http;
using Npgsql;
using Plant.Core.Catalog;
using Plant.Core.Embeddings;
using Plant.Core.Genesis;
using Plant.Genesis.Http;
using Plant.Hosting;

namespace Plant.Genesis;

/// <summary>
/// The catalog's entities through Genesis: create a draft, list, read, read the version history, amend.
/// <c>{type}</c> is industries, skills, job-roles, teams or agents.
/// </summary>
public sealed class EntityFunctions(EntityStore store, NpgsqlDataSource dataSource)
{
    private const int DefaultPageSize = 50;

    [Function(nameof(CreateEntity))]
    public async Task<IResult> CreateEntity(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/genesis/{type}")] HttpRequest request,
        string type, CancellationToken cancellationToken)
    {
        if (!GenesisRequests.TryType(type, out var entityType, out var problem) || !GenesisRequests.TryActor(request, out var actor, out problem))
        {
            return problem;
        }

        var (draft, bodyProblem) = await GenesisRequests.ReadDraftAsync(request, entityType, cancellationToken);
        if (draft is null)
        {
            return bodyProblem!;
        }

        EntityWriteResult result;
        try
        {
            result = await store.CreateAsync(draft, actor, cancellationToken);
        }
        catch (EmbedderException)
        {
            return GenesisResponses.EmbedderUnavailable();
        }

        return result.Outcome == WriteOutcome.Written
            ? GenesisResponses.Written(result, $"/api/v1/genesis/{entityType.RouteSegment()}/{result.Entity!.EntityId}")
            : GenesisResponses.Refusal(result, entityType, null, null);
    }

    [Function(nameof(ListEntities))]
    public async Task<IResult> ListEntities(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/genesis/{type}")] HttpRequest request,
        string type, CancellationToken cancellationToken)
    {
        if (!GenesisRequests.TryType(type, out var entityType, out var problem))
        {
            return problem;
        }

        var query = request.Query;
        LifecycleStatus? status = null;
        CertificationStatus? certification = null;
        var limit = DefaultPageSize;
        try
        {
            if (query["status"].ToString() is { Length: > 0 } statusText)
            {
                status = Lifecycle.ParseLifecycle(statusText);
            }

            if (query["certification"].ToString() is { Length: > 0 } certificationText)
            {
                certification = Lifecycle.ParseCertification(certificationText);
            }
        }
        catch (FormatException)
        {
            return BadQuery("status is draft, active, suspended or retired; certification is pending, certified or rejected.");
        }

        if (query["limit"].ToString() is { Length: > 0 } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > EntityReader.MaxPageSize))
        {
            return BadQuery($"limit must be a whole number from 1 to {EntityReader.MaxPageSize}.");
        }

        var after = query["after"].ToString() is { Length: > 0 } cursor ? cursor : null;
        try
        {
            var page = await EntityReader.ListAsync(dataSource, entityType, new EntityFilter(status, certification), limit, after, cancellationToken);
            return Results.Json(new { items = page.Items.Select(EntityResponses.Entity), next = page.Next });
        }
        catch (FormatException)
        {
            return BadQuery("after must be the 'next' cursor of a previous page.");
        }
    }

    [Function(nameof(GetEntity))]
    public async Task<IResult> GetEntity(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/genesis/{type}/{id}")] HttpRequest request,
        string type, Guid id, CancellationToken cancellationToken)
    {
        if (!GenesisRequests.TryType(type, out var entityType, out var problem))
        {
            return problem;
        }

        return await EntityReader.CurrentAsync(dataSource, entityType, id, cancellationToken) is { } entity
            ? GenesisResponses.WithETag(Results.Json(EntityResponses.Entity(entity)), entity.Version)
            : GenesisResponses.NotFound(entityType, id);
    }

    [Function(nameof(GetEntityVersions))]
    public async Task<IResult> GetEntityVersions(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/genesis/{type}/{id}/versions")] HttpRequest request,
        string type, Guid id, CancellationToken cancellationToken)
    {
        if (!GenesisRequests.TryType(type, out var entityType, out var problem))
        {
            return problem;
        }

        var versions = await EntityReader.HistoryAsync(dataSource, entityType, id, cancellationToken);
        return versions.Count == 0
            ? GenesisResponses.NotFound(entityType, id)
            : Results.Json(new { id, entityType = entityType.SchemaName(), versions = versions.Select(EntityResponses.Entity) });
    }

    [Function(nameof(AmendEntity))]
    public async Task<IResult> AmendEntity(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/genesis/{type}/{id}/amendments")] HttpRequest request,
        string type, Guid id, CancellationToken cancellationToken)
    {
        if (!GenesisRequests.TryType(type, out var entityType, out var problem)
            || !GenesisRequests.TryActor(request, out var actor, out problem)
            || !GenesisRequests.TryIfMatch(request, out var ifMatch, out problem))
        {
            return problem;
        }

        var (draft, bodyProblem) = await GenesisRequests.ReadDraftAsync(request, entityType, cancellationToken);
        if (draft is null)
        {
            return bodyProblem!;
        }

        EntityWriteResult result;
        try
        {
            result = await store.AmendAsync(entityType, id, draft, ifMatch, actor, cancellationToken);
        }
        catch (EmbedderException)
        {
            return GenesisResponses.EmbedderUnavailable();
        }

        return result.Outcome == WriteOutcome.Written
            ? GenesisResponses.Written(result, $"/api/v1/genesis/{entityType.RouteSegment()}/{id}")
            : GenesisResponses.Refusal(result, entityType, id, ifMatch);
    }

    private static IResult BadQuery(string detail) =>
        Problems.Result(StatusCodes.Status400BadRequest, Problems.BadRequest, "Bad request", detail);
}

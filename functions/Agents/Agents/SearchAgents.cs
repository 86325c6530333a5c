using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Npgsql;
using Plant.Agents.Wire;
using Plant.Core.Agents.Search;
using Plant.Core.Embeddings;
using Plant.Hosting;

namespace Plant.Agents.Agents;

/// <summary>
/// <c>GET /api/v1/agents/search?q=...&amp;k=10</c> plus the filters of <c>/agents</c>: the <c>k</c> agents whose
/// profile text is nearest to <c>q</c>, best first, each with its score (cosine similarity).
/// </summary>
public sealed class SearchAgents(AgentSearch search, NpgsqlDataSource dataSource)
{
    public const int DefaultK = 10;

    [Function(nameof(SearchAgents))]
    [EndpointSummary("Search agents by meaning")]
    [EndpointDescription("The k agents whose profile is nearest in meaning to q, best first, each with its score (cosine similarity); the filters of List agents apply.")]
    [QueryParameter("q", "What the customer is looking for, in their own words.", Required = true, MaxLength = ListAgents.MaximumTextLength)]
    [QueryParameter("k", "How many agents to return.", Type = typeof(int), Minimum = 1, Maximum = AgentSearch.MaximumK)]
    [AgentFilters]
    [ProblemType(StatusCodes.Status503ServiceUnavailable, Problems.Unavailable, "the search model is loading or failed to load; see Retry-After")]
    public async Task<Results<Conditional<SearchResultDto>, ProblemHttpResult>> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/agents/search")] HttpRequest request,
        FunctionContext context,
        CancellationToken cancellationToken)
    {
        var query = QueryReader.For(request);
        var text = query.Text("q", ListAgents.MaximumTextLength) ?? throw new BadInputException("q", "q is required: the text to search for.");
        if (!text.Any(char.IsLetterOrDigit))
        {
            // Only punctuation, symbols or emoji: the model would still give a vector, and rank agents by noise.
            throw new BadInputException("q", "q has no letter or digit to search for.");
        }

        var k = query.Int("k", 1, AgentSearch.MaximumK, DefaultK);
        var filter = AgentFilterReader.Read(query);
        if (await ETags.CurrentCatalogAsync(request, dataSource, cancellationToken) is { } current)
        {
            return Conditional<SearchResultDto>.NotModified(current);
        }

        AgentSearchResult result;
        try
        {
            result = await search.SearchAsync(text, k, filter, cancellationToken);
        }
        catch (EmbedderException e)
        {
            // The model could not be loaded, or the model service (PLANT_EMBEDDER=http) failed: not the client's fault,
            // and worth a retry. Why is for the logs and /readyz, not for every caller.
            context.GetLogger(nameof(SearchAgents)).LogWarning("Search could not embed: {Problem}", e.Message);
            return Problems.UnavailableResult(request.HttpContext.Response, "Search cannot embed the query now; retry later.");
        }

        return Conditional.Ok(SearchResultDto.From(result), ETags.Catalog(request, result.CatalogVersion));
    }
}

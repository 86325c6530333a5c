using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Plant.Agents.Agents;
using Plant.Core.Agents;
using Plant.Core.Agents.Search;
using Plant.Core.Catalog;
using Plant.Core.Embeddings;
using Plant.Core.Paging;
using Plant.Core.Trials;
using Plant.Hosting;

namespace Plant.Agents;

/// <summary>The Agents function app: its functions and the services they need.</summary>
public static class AgentsApp
{
    public static FunctionApp Definition { get; } = FunctionApp.FromAssembly("Agents", typeof(AgentsApp).Assembly, (services, configuration) =>
    {
        // Read now, so that a bad embedder setting stops start-up with a message naming it instead of failing searches.
        var embedder = Embedders.FromConfiguration(configuration);
        var embedderId = EmbedderIdentity.FromConfiguration(configuration);
        // Core's verdict on a cursor (forged, from another query) or a filter id (naming nothing) is the client's fault.
        services.AddProblemFor<InvalidCursorException>(e => Problems.BadInput(Paging.Cursor, e.Message));
        services.AddProblemFor<UnknownReferenceException>(e => AgentFilterReader.UnknownReference(e));
        services.TryAddSingleton<PageCursors>();
        services.TryAddSingleton<AgentQueries>();
        services.TryAddSingleton<CatalogQueries>();
        services.TryAddSingleton<TrialService>();
        // One search per process: it holds the in-process index of profile vectors.
        services.TryAddSingleton(sp => new AgentSearch(sp.GetRequiredService<NpgsqlDataSource>(), embedder, embedderId, sp.GetRequiredService<AgentQueries>()));
        // Loads that index in the background at start-up, instead of on the first search.
        services.AddHostedService<SearchIndexWarmUp>();
    });
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;
using Plant.Agents.Agents;
using Plant.Core.Agents;
using Plant.Core.Agents.ReadModel;
using Plant.Core.Agents.Search;
using Plant.Core.Catalog;
using Plant.Core.Configuration;
using Plant.Core.Data;
using Plant.Core.Embeddings;
using Plant.Core.Paging;
using Plant.Core.Trials;
using Plant.Agents.Wire;
using Plant.Hosting;

namespace Plant.Agents;

/// <summary>The Agents function app: its functions and the services they need.</summary>
public static class AgentsApp
{
    public static FunctionApp Definition { get; } = FunctionApp.FromAssembly("Agents", typeof(AgentsApp).Assembly, (services, configuration) =>
    {
        // Read and checked now, not on first use, so that start-up names every missing or bad setting this app
        // uses. TryAdd: locally all apps share one process, and another may have registered the same services.
        var problems = new SettingsProblems();
        var settings = problems.Read(() => PlantSettings.Load(configuration), null);
        var database = problems.Read(() => PlantDataSource.ReadConnectionSettings(configuration, "plant-agents"), null);
        var embedder = problems.Read(() => Embedders.FromConfiguration(configuration), null);
        var embedderId = problems.Read(() => EmbedderIdentity.FromConfiguration(configuration), null);
        var readModelAgents = problems.Read(() => AgentReadModel.MaximumAgentsFrom(configuration), 0);
        problems.ThrowIfAny();

        services.TryAddSingleton(settings!);
        services.TryAddSingleton(_ => PlantDataSource.Create(database!));
        // Core's verdict on a cursor (forged, from another query) or a filter id (naming nothing) is the client's fault.
        services.AddProblemFor<InvalidCursorException>(e => Problems.BadInput(Paging.Cursor, e.Message));
        services.AddProblemFor<UnknownReferenceException>(e => AgentFilterReader.UnknownReference(e));
        services.TryAddSingleton<PageCursors>();
        // Every current agent in memory, so that lists and items cost PostgreSQL one read of the change marker.
        services.TryAddSingleton(sp => new AgentReadModel(
            sp.GetRequiredService<NpgsqlDataSource>(), readModelAgents, sp.GetRequiredService<ILogger<AgentReadModel>>()));
        services.AddSingleton<IReadinessDetail, ReadModelReadiness>();
        services.TryAddSingleton<AgentQueries>();
        services.TryAddSingleton<CatalogQueries>();
        services.TryAddSingleton<TrialService>();
        // One embedder and one search per process: the model (MiniLM loads in the background from here), and the
        // in-process index of profile vectors.
        services.TryAddSingleton(embedder!);
        services.TryAddSingleton(sp => new AgentSearch(
            sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<IEmbedder>(), embedderId!, sp.GetRequiredService<AgentQueries>(), sp.GetRequiredService<ILogger<AgentSearch>>()));
        // Loads that index in the background at start-up, instead of on the first search; /readyz says how far.
        services.AddHostedService<SearchIndexWarmUp>();
        services.AddSingleton<IReadinessDetail, SearchReadiness>();
    }, AgentsJson.Default);
}

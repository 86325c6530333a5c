using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Plant.Core.Audit;
using Plant.Core.Configuration;
using Plant.Core.Data;
using Plant.Core.Embeddings;
using Plant.Core.Genesis;
using Plant.Core.Paging;
using Plant.Core.Signing;
using Plant.Genesis.Wire;
using Plant.Hosting;

namespace Plant.Genesis;

/// <summary>The Genesis function app: its functions and the services they need.</summary>
public static class GenesisApp
{
    public static FunctionApp Definition { get; } = FunctionApp.FromAssembly("Genesis", typeof(GenesisApp).Assembly, Configure, GenesisJson.Resolver);

    private static void Configure(IServiceCollection services, IConfiguration configuration)
    {
        // Read and checked here, not on first use, so that start-up names every missing or bad setting this app
        // uses. TryAdd: locally all apps share one process, and another may have registered the same services.
        var problems = new SettingsProblems();
        var settings = problems.Read(() => PlantSettings.Load(configuration), null);
        var database = problems.Read(() => PlantDataSource.ReadConnectionSettings(configuration, "plant-genesis"), null);
        var keys = settings is null ? null : problems.Read(() => SigningKeyRing.Load(configuration, settings), null);
        var embedder = problems.Read(() => Embedders.FromConfiguration(configuration), null);
        problems.ThrowIfAny();

        services.TryAddSingleton(settings!);
        services.TryAddSingleton(_ => PlantDataSource.Create(database!));
        services.TryAddSingleton(keys!);
        services.TryAddSingleton(embedder!);
        // A forged cursor, or one from another listing, is the client's fault.
        services.AddProblemFor<InvalidCursorException>(e => Problems.BadInput(Paging.Cursor, e.Message));
        services.TryAddSingleton<PageCursors>();
        services.TryAddSingleton<AuditTrail>();
        services.AddSingleton<EntityStore>();
        services.AddSingleton<Certifier>();
        services.AddSingleton<CertificateVerifier>();
    }
}

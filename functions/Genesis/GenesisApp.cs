using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Plant.Core.Audit;
using Plant.Core.Configuration;
using Plant.Core.Embeddings;
using Plant.Core.Genesis;
using Plant.Core.Signing;
using Plant.Hosting;

namespace Plant.Genesis;

/// <summary>The Genesis function app: its functions and the services they need.</summary>
public static class GenesisApp
{
    public static FunctionApp Definition { get; } = FunctionApp.FromAssembly("Genesis", typeof(GenesisApp).Assembly, Configure);

    private static void Configure(IServiceCollection services, IConfiguration configuration)
    {
        // Loaded here, not on first use, so that a missing or bad key or embedder setting stops start-up with a
        // message naming it. TryAdd: locally all apps share one process, and another may have registered them.
        if (!services.Any(s => s.ServiceType == typeof(SigningKeyRing)))
        {
            services.AddSingleton(SigningKeyRing.Load(configuration, PlantSettings.Load(configuration)));
        }

        services.TryAddSingleton(Embedders.FromConfiguration(configuration));
        services.TryAddSingleton<AuditTrail>();
        services.AddSingleton<EntityStore>();
        services.AddSingleton<Certifier>();
        services.AddSingleton<CertificateVerifier>();
    }
}

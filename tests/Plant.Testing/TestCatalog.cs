using Npgsql;
using Plant.Core.Configuration;
using Plant.Core.Embeddings;
using Plant.Core.Seed;

namespace Plant.Testing;

/// <summary>A catalog as the Migrate app leaves it: every migration applied, the Genesis baseline seeded.</summary>
public static class TestCatalog
{
    /// <summary>
    /// Migrates <paramref name="dataSource"/>'s database to the latest version and seeds it, certified with the
    /// shared test key (<see cref="TestSigningKeys"/>), so that apps started with its settings verify the seed.
    /// </summary>
    public static async Task MigrateAndSeedAsync(NpgsqlDataSource dataSource)
    {
        await TestPipeline.Create(dataSource).UpAsync();
        using var keys = TestSigningKeys.Ring();
        await new CatalogSeeder(dataSource, new FeatureHashingEmbedder(), PlantSettings.Defaults(PlantEnvironment.Local), keys).SeedAsync();
    }
}

using System.Net;
using Microsoft.Extensions.Configuration;
using Plant.Core.Configuration;
using Plant.Core.Embeddings;
using Plant.Core.Migrations;
using Plant.Core.Seed;
using Plant.Core.Signing;
using Plant.Genesis.Tests.Support;
using Plant.Testing;
using Plant.Testing.Hosting;
using Xunit;

namespace Plant.Genesis.Tests;

/// <summary>
/// Locally (<c>./plant start</c>) the seed and Genesis run in different processes without a configured key: both
/// use the key generated once into the local folder, so the seed's certificates verify through Genesis. The class
/// is its own database fixture (xunit runs its InitializeAsync and DisposeAsync around the test).
/// </summary>
public sealed class LocalKeyTests : PostgresDatabaseFixture
{
    [Fact]
    public async Task The_seed_and_genesis_share_the_generated_local_key()
    {
        var folder = Directory.CreateTempSubdirectory("genesis-local-").FullName;
        try
        {
            var settings = new Dictionary<string, string?> { ["PLANT_ENVIRONMENT"] = "local", ["PLANT_LOCAL_DIR"] = folder };
            await TestPipeline.Create(DataSource).UpAsync();
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            var plant = PlantSettings.Load(configuration);
            using (var keys = SigningKeyRing.Load(configuration, plant))
            {
                await new CatalogSeeder(DataSource, new FeatureHashingEmbedder(), plant, keys).SeedAsync();
            }

            Assert.True(File.Exists(Path.Combine(folder, SigningKeyRing.LocalKeyPath)));
            await using var host = await TestHost.StartAsync(ConnectionString, GenesisApp.Definition, settings);
            var certificateId = await ScalarAsync<Guid>("select certificate_id from catalog.certificate limit 1");
            var request = TestHost.Request(HttpMethod.Post, "/api/v1/genesis/certificates/verify");
            request.Content = TestJson.Content(new { certificateId });

            var response = await host.Client.SendAsync(request);

            var verification = await Json.ReadAsync(response);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(verification.GetProperty("valid").GetBoolean(), verification.ToString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}

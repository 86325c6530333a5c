using Plant.Agents.Tests.Support;
using Plant.Core.Embeddings;
using Plant.Core.Paging;
using Plant.Testing;
using Plant.Core.Agents;
using Plant.Core.Agents.Search;
using Plant.Core.Seed;
using Microsoft.Extensions.DependencyInjection;

namespace Plant.Agents.Tests;

/// <summary>
/// The pgvector path (<c>&lt;=&gt;</c> on <c>agent_profile_embedding.embedding_vector</c>, HNSW) against the exact
/// array path, on the seed: the SQL is parsed, planned and run, and both paths return the same top results.
/// scripts/postgres.sh builds pgvector for the test server, as Cloud SQL has it.
/// </summary>
[Collection(ReadOnlyCatalog.Name)]
public sealed class PgvectorTests(SeededCatalog catalog)
{
    private static readonly string[] s_queries =
        [.. GenesisBaseline.Skills.Select(s => s.Name).Concat(["chargeback disputes", "inpatient coding", "holiday stock planning"])];

    [Fact]
    public async Task Both_paths_return_the_same_top_results_on_the_seed()
    {
        var search = catalog.Host.Services.GetRequiredService<AgentSearch>();
        var filters = new[]
        {
            new AgentFilter(),
            new AgentFilter { Industry = Seeded.Industry("Healthcare") },
            new AgentFilter { Skills = [Seeded.Skill("Report Writing")], Certified = true },
        };

        foreach (var query in s_queries)
        {
            foreach (var filter in filters)
            {
                var (array, _) = await search.RankAsync(query, 10, filter, SearchPath.Array, CancellationToken.None);
                var (vector, _) = await search.RankAsync(query, 10, filter, SearchPath.Pgvector, CancellationToken.None);

                Assert.Equal(array.Count, vector.Count);
                for (var i = 0; i < array.Count; i++)
                {
                    // Equal ids, except where two scores tie within float rounding (pgvector sums in float).
                    Assert.Equal(array[i].Score, vector[i].Score, 1e-5);
                    if (array[i].Id != vector[i].Id)
                    {
                        Assert.Contains(array, a => a.Id == vector[i].Id && Math.Abs(a.Score - vector[i].Score) < 1e-5);
                    }
                }
            }
        }
    }

    [Fact]
    public async Task The_vector_query_with_every_filter_is_parsed_and_planned()
    {
        var filter = new AgentFilter
        {
            Industry = Seeded.Industry("Healthcare"),
            Skills = [Seeded.Skill("Medical Coding")],
            JobRole = Seeded.JobRole("Medical Coder"),
            Team = Seeded.Team("Revenue Cycle Coding Team"),
            Statuses = [AgentListingStatus.Active, AgentListingStatus.Rejected],
            Certified = true,
        };
        await using var command = AgentSearch.VectorCommand(Core.Embeddings.FeatureHashingEmbedder.Embed("coding"), EmbedderIdentity.Hashing, 10, filter);
        command.CommandText = "explain " + command.CommandText;
        // The app's data source: it maps pgvector's type (UseVector).
        await using var connection = await catalog.Host.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().OpenConnectionAsync();
        command.Connection = connection;

        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        Assert.Contains(plan, line => line.Contains("agent_profile_embedding", StringComparison.Ordinal));
    }
}

/// <summary>A server without pgvector (say an operator's own): V0005 leaves the column out, and search ranks exactly in process.</summary>
public sealed class WithoutPgvectorTests : PostgresDatabaseFixture
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await TestCatalog.MigrateAndSeedAsync(DataSource);
        // What V0005 makes where the extension is missing: no vector column, no trigger keeping it.
        await using var command = DataSource.CreateCommand("""
            drop trigger agent_profile_embedding_vector_sync on catalog.agent_profile_embedding;
            alter table catalog.agent_profile_embedding drop column embedding_vector;
            """);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task The_vector_path_is_refused_and_the_automatic_path_is_the_exact_array_path()
    {
        var search = new AgentSearch(DataSource, new FeatureHashingEmbedder(), EmbedderIdentity.Hashing, new AgentQueries(DataSource, new PageCursors(DataSource)));

        await Assert.ThrowsAsync<InvalidOperationException>(() => search.RankAsync("fraud", 5, new AgentFilter(), SearchPath.Pgvector, CancellationToken.None));
        var (automatic, _) = await search.RankAsync("fraud", 5, new AgentFilter(), SearchPath.Automatic, CancellationToken.None);
        var (array, _) = await search.RankAsync("fraud", 5, new AgentFilter(), SearchPath.Array, CancellationToken.None);
        Assert.Equal(5, automatic.Count);
        Assert.Equal(array, automatic);
    }
}

using Plant.Agents.Tests.Support;
using Plant.Core.Agents;
using Plant.Core.Agents.Search;
using Plant.Core.Embeddings;
using Plant.Core.Paging;

namespace Plant.Agents.Tests;

/// <summary>
/// The search index's store of profile vectors: a new process reuses what an earlier one stored instead of calling
/// the embedder for the whole catalog, and recomputes only what is stale. A database of its own.
/// </summary>
public sealed class SearchIndexTests(SeededCatalog catalog) : IClassFixture<SeededCatalog>
{
    [Fact]
    public async Task A_new_process_reuses_the_stored_profile_vectors_and_embeds_only_the_query()
    {
        await NewSearch(new CountingEmbedder()).RankAsync("warm up", 5, new AgentFilter(), SearchPath.Array, CancellationToken.None);
        var stored = await catalog.ScalarAsync<long>("select count(*) from catalog.agent_profile_embedding");

        var embedder = new CountingEmbedder();
        var (ranked, _) = await NewSearch(embedder).RankAsync("chargeback disputes", 3, new AgentFilter(), SearchPath.Array, CancellationToken.None);

        Assert.True(stored >= 50, $"{stored} profile vectors stored");
        Assert.Equal(1, embedder.Texts);
        Assert.Equal(Seeded.Agent("Chargeback Clara"), ranked[0].Id);
    }

    [Fact]
    public async Task A_stale_stored_vector_is_recomputed_and_replaced()
    {
        var search = NewSearch(new CountingEmbedder());
        await search.RankAsync("warm up", 5, new AgentFilter(), SearchPath.Array, CancellationToken.None);
        var clara = Seeded.Agent("Chargeback Clara");
        // A vector stored under another key (another embedder, or an older profile text) must not be used.
        await catalog.ExecuteAsync("update catalog.agent_profile_embedding set profile_key = sha256('stale'::bytea), embedding = array_fill(0.05::real, array[384]) where agent_id = @id", ("id", clara));

        var embedder = new CountingEmbedder();
        var (ranked, _) = await NewSearch(embedder).RankAsync("chargeback disputes", 3, new AgentFilter(), SearchPath.Array, CancellationToken.None);

        Assert.Equal(2, embedder.Texts);
        Assert.Equal(clara, ranked[0].Id);
        Assert.NotEqual(0.05f, (await catalog.ScalarAsync<float[]>("select embedding from catalog.agent_profile_embedding where agent_id = @id", ("id", clara)))[0]);
    }

    [Fact]
    public async Task Another_embedder_identity_recomputes_every_vector()
    {
        var first = new CountingEmbedder();
        await NewSearch(first, "hashing:test-a").RankAsync("warm up", 5, new AgentFilter(), SearchPath.Array, CancellationToken.None);
        var second = new CountingEmbedder();
        await NewSearch(second, "hashing:test-b").RankAsync("warm up", 5, new AgentFilter(), SearchPath.Array, CancellationToken.None);

        var agents = await catalog.ScalarAsync<long>("select count(*) from catalog.entity_version where entity_type = 'agent' and is_current");
        Assert.Equal(agents + 1, second.Texts);
    }

    private AgentSearch NewSearch(IEmbedder embedder, string? embedderId = null) =>
        new(catalog.DataSource, embedder, embedderId ?? EmbedderIdentity.Hashing, new AgentQueries(catalog.DataSource, new PageCursors(catalog.DataSource)));

    /// <summary>The built-in embedder, counting the texts it embeds.</summary>
    private sealed class CountingEmbedder : IEmbedder
    {
        private int _texts;

        public int Dimensions => Embedders.Dimensions;

        public int Texts => _texts;

        public Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
        {
            Interlocked.Add(ref _texts, texts.Count);
            return new FeatureHashingEmbedder().EmbedAsync(texts, cancellationToken);
        }
    }
}

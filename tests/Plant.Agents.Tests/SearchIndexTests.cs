using Microsoft.Extensions.DependencyInjection;
using Npgsql;
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

    [Fact]
    public async Task Two_embedders_keep_vectors_of_their_own_and_back_and_forth_embeds_nothing_again()
    {
        // A rolling deployment: instances of the old and the new embedder at once, each searching in turn.
        var agents = await catalog.ScalarAsync<long>("select count(*) from catalog.entity_version where entity_type = 'agent' and is_current");
        var old = new CountingEmbedder();
        var @new = new CountingEmbedder();
        for (var round = 0; round < 2; round++)
        {
            await NewSearch(old, "hashing:rolling-old").RankAsync("warm up", 5, new AgentFilter(), SearchPath.Array, CancellationToken.None);
            await NewSearch(@new, "hashing:rolling-new").RankAsync("warm up", 5, new AgentFilter(), SearchPath.Array, CancellationToken.None);
        }

        // Each embedded the catalog once (and its two queries), however often the other wrote in between.
        Assert.Equal(agents + 2, old.Texts);
        Assert.Equal(agents + 2, @new.Texts);
        Assert.Equal(agents, await catalog.ScalarAsync<long>("select count(*) from catalog.agent_profile_embedding where embedder = 'hashing:rolling-old'"));
        Assert.Equal(agents, await catalog.ScalarAsync<long>("select count(*) from catalog.agent_profile_embedding where embedder = 'hashing:rolling-new'"));
    }

    [Fact]
    public async Task The_pgvector_path_ranks_its_own_embedder_s_vectors_only()
    {
        // Another embedder's rows, all pointing one way: were they ranked too, they would crowd out the real ones.
        await NewSearch(new CountingEmbedder(), "other:all-the-same").RankAsync("warm up", 5, new AgentFilter(), SearchPath.Array, CancellationToken.None);
        await catalog.ExecuteAsync("update catalog.agent_profile_embedding set embedding = @v where embedder = 'other:all-the-same'", ("v", FeatureHashingEmbedder.Embed("chargeback disputes")));
        var search = NewSearch(new CountingEmbedder());

        var (array, _) = await search.RankAsync("chargeback disputes", 10, new AgentFilter(), SearchPath.Array, CancellationToken.None);
        var (vector, _) = await search.RankAsync("chargeback disputes", 10, new AgentFilter(), SearchPath.Pgvector, CancellationToken.None);

        Assert.Equal(array.Select(r => r.Id), vector.Select(r => r.Id));
        Assert.InRange(vector[0].Score, 0.0, 0.99);
    }

    [Fact]
    public async Task While_profiles_are_embedded_the_search_says_how_far_it_is()
    {
        var embedder = new GatedEmbedder();
        var search = NewSearch(embedder, "hashing:progress");
        Assert.Null(search.Embedding);

        var load = search.LoadIndexAsync(CancellationToken.None);
        await embedder.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        var agents = await catalog.ScalarAsync<long>("select count(*) from catalog.entity_version where entity_type = 'agent' and is_current");
        Assert.Equal(new EmbeddingProgress(0, (int)agents), search.Embedding);

        embedder.Release.Release();
        await load;
        Assert.Null(search.Embedding);
    }

    [Fact]
    public async Task While_a_first_load_embeds_the_catalog_searches_rank_with_the_hashing_embedder_instead_of_waiting()
    {
        var embedder = new GatedEmbedder();
        var search = NewSearch(embedder, "slow:first-load");
        var load = search.LoadIndexAsync(CancellationToken.None);
        await embedder.Entered.WaitAsync(TimeSpan.FromSeconds(30));

        var meanwhile = await search.SearchAsync("chargeback disputes", 3, new AgentFilter(), CancellationToken.None);

        Assert.False(load.IsCompleted);
        Assert.Equal("Chargeback Clara", meanwhile.Hits[0].Agent.Name);
        Assert.Equal(1, embedder.Calls);

        embedder.Release.Release();
        await load;
        await search.SearchAsync("chargeback disputes", 3, new AgentFilter(), CancellationToken.None);
        Assert.Equal(2, embedder.Calls);
    }

    /// <summary>A search as a new process makes it, on the app's data source (it maps pgvector's type: UseVector).</summary>
    private AgentSearch NewSearch(IEmbedder embedder, string? embedderId = null)
    {
        var dataSource = catalog.Host.Services.GetRequiredService<NpgsqlDataSource>();
        return new(dataSource, embedder, embedderId ?? EmbedderIdentity.Hashing, new AgentQueries(dataSource, new PageCursors(dataSource)));
    }

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

    /// <summary>The built-in embedder, holding its first call until released.</summary>
    private sealed class GatedEmbedder : IEmbedder
    {
        public SemaphoreSlim Entered { get; } = new(0);

        public SemaphoreSlim Release { get; } = new(0);

        public int Dimensions => Embedders.Dimensions;

        /// <summary>How many times it was asked to embed.</summary>
        public int Calls => Volatile.Read(ref _calls);

        private int _calls;

        public async Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            Entered.Release();
            await Release.WaitAsync(cancellationToken);
            Release.Release();
            return await new FeatureHashingEmbedder().EmbedAsync(texts, cancellationToken);
        }
    }
}

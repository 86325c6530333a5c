using System.Globalization;
using System.Numerics.Tensors;
using System.Text;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Pgvector;
using Plant.Core.Catalog;
using Plant.Core.Embeddings;

namespace Plant.Core.Agents.Search;

/// <summary>How a search ranks.</summary>
public enum SearchPath
{
    /// <summary>The pgvector path where the <c>vector</c> column exists, the array path otherwise.</summary>
    Automatic,

    /// <summary>Exact ranking in process over the profile vectors (stored as <c>real[]</c>), with SIMD dot products.</summary>
    Array,

    /// <summary><c>&lt;=&gt;</c> on <c>agent_profile_embedding.embedding_vector</c> in PostgreSQL (HNSW index).</summary>
    Pgvector,
}

/// <summary>A ranked agent id and its cosine similarity to the query.</summary>
public readonly record struct RankedAgent(Guid Id, double Score);

/// <summary>Profiles embedded so far in the refresh under way, of how many it embeds.</summary>
public sealed record EmbeddingProgress(int Done, int Total);

/// <summary>A search hit: the agent as queries show it, and its score (cosine similarity, -1 to 1).</summary>
public sealed record AgentSearchHit(AgentView Agent, double Score);

/// <summary>What the in-process search index holds: how many agents, as of which catalog change marker.</summary>
/// <param name="Agents">The current agents indexed (all statuses; searches filter them).</param>
/// <param name="CatalogVersion">The change marker the index is current for; 0 before it was first loaded.</param>
public readonly record struct SearchIndexState(int Agents, long CatalogVersion)
{
    /// <summary>Whether the index was loaded at least once in this process.</summary>
    public bool Loaded => CatalogVersion > 0;
}

/// <summary>The hits, best first, and the catalog change marker they are current for.</summary>
public sealed record AgentSearchResult(IReadOnlyList<AgentSearchHit> Hits, long CatalogVersion);

/// <summary>
/// Semantic search over each agent's profile text (name, description, skills, job role, industry; see
/// <see cref="AgentProfileText"/>), with the filters of agent lists. One instance per process: it holds the index.
/// </summary>
/// <remarks>
/// <para>Both paths rank the same stored vectors by cosine similarity, exactly (ties broken by entity id) on the
/// array path; the pgvector path asks the HNSW index for an exact-enough answer (<c>hnsw.ef_search</c> above the
/// candidates, iterative scans so that filters do not starve it), which on catalogs of the seed's size is exact.</para>
/// <para>Measured (docs/BENCHMARKS.md): the array path over 10,000 agents answers in a few milliseconds, while cosine
/// computed in SQL over <c>real[]</c> takes about a second; so without pgvector the index lives in process.</para>
/// </remarks>
public sealed class AgentSearch
{
    /// <summary>The most hits one search returns.</summary>
    public const int MaximumK = 100;

    /// <summary>How long a search waits for the first load of its embedder's index before it ranks with the interim one.</summary>
    private static readonly TimeSpan s_firstLoadWait = TimeSpan.FromSeconds(2);

    private readonly NpgsqlDataSource _dataSource;
    private readonly AgentQueries _queries;
    private readonly Ranker _main;

    /// <summary>The hashing embedder, while the configured one's first load takes long (null when hashing is the configured one).</summary>
    private readonly Ranker? _interim;

    private Task<IndexSnapshot>? _firstLoad;

    /// <summary>
    /// A search over <paramref name="dataSource"/>'s catalog with <paramref name="embedder"/>, which
    /// <paramref name="embedderId"/> names (<see cref="EmbedderIdentity"/>: stored vectors of another embedder are
    /// recomputed); hits are shown as <paramref name="queries"/> shows agents.
    /// </summary>
    public AgentSearch(NpgsqlDataSource dataSource, IEmbedder embedder, string embedderId, AgentQueries queries, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentException.ThrowIfNullOrWhiteSpace(embedderId);
        if (embedder.Dimensions != Embedders.Dimensions)
        {
            throw new ArgumentException($"The embedder gives {embedder.Dimensions} dimensions; profile vectors hold {Embedders.Dimensions}.", nameof(embedder));
        }

        _dataSource = dataSource;
        _queries = queries;
        logger ??= NullLogger.Instance;
        _main = new Ranker(embedder, embedderId, new AgentSearchIndex(dataSource, embedder, embedderId, logger));
        var hashing = new FeatureHashingEmbedder();
        _interim = embedderId == EmbedderIdentity.Hashing ? null
            : new Ranker(hashing, EmbedderIdentity.Hashing, new AgentSearchIndex(dataSource, hashing, EmbedderIdentity.Hashing, logger));
    }

    /// <summary>The index as this process holds it now, without reading the database.</summary>
    public SearchIndexState IndexState => State(_main.Index.Snapshot);

    /// <summary>
    /// While a refresh embeds profiles (the first load after the embedder changed, a catalog grown by thousands), how
    /// many of how many are done; null otherwise. Searches during a first load that takes long rank with the hashing
    /// embedder meanwhile.
    /// </summary>
    public EmbeddingProgress? Embedding => _main.Index.Progress;

    /// <summary>Whether searches rank with the hashing embedder while the configured one's first load takes long.</summary>
    public bool HasInterim => _interim is not null;

    /// <summary>
    /// Loads the in-process index now, as the first search of a process would otherwise do: every current agent, its
    /// stored profile vector, and the vectors missing or stale computed and stored. Refreshes it if the catalog
    /// changed since; otherwise reads only the change marker. A search meanwhile waits for this load and uses it.
    /// </summary>
    /// <exception cref="NpgsqlException">The database cannot be read (unreachable, or not migrated yet).</exception>
    /// <exception cref="EmbedderException">A missing vector could not be computed.</exception>
    public async Task<SearchIndexState> LoadIndexAsync(CancellationToken ct) => State(await _main.Index.CurrentAsync(ct));

    /// <summary>The <paramref name="k"/> agents passing <paramref name="filter"/> whose profiles are nearest to <paramref name="text"/>.</summary>
    /// <exception cref="UnknownReferenceException">A filter id names no entity of its type.</exception>
    public async Task<AgentSearchResult> SearchAsync(string text, int k, AgentFilter filter, CancellationToken ct, SearchPath path = SearchPath.Automatic)
    {
        var (ranked, catalogVersion) = await RankAsync(text, k, filter, path, ct);
        var views = await _queries.GetManyAsync([.. ranked.Select(r => r.Id)], filter.Statuses, ct);
        var hits = ranked.Where(r => views.ContainsKey(r.Id)).Select(r => new AgentSearchHit(views[r.Id], r.Score)).ToList();
        return new AgentSearchResult(hits, catalogVersion);
    }

    /// <summary>The ranking alone: ids and scores, best first, and the catalog marker of the index used.</summary>
    /// <exception cref="UnknownReferenceException">A filter id names no entity of its type.</exception>
    /// <exception cref="InvalidOperationException">The pgvector path was asked for where the vector column does not exist.</exception>
    public async Task<(IReadOnlyList<RankedAgent> Ranked, long CatalogVersion)> RankAsync(string text, int k, AgentFilter filter, SearchPath path, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, MaximumK);
        if (filter.Text is not null)
        {
            throw new ArgumentException("A search has its own text; the text filter applies to lists only.", nameof(filter));
        }

        // Before the index: a request refused for a bad filter must not make the index refresh (and store vectors).
        await _queries.CheckReferencesAsync(filter, ct);
        var (ranker, snapshot) = await IndexAsync(ct);
        var query = (await ranker.Embedder.EmbedAsync([text], ct))[0];
        VectorMath.Normalize(query);
        var usePgvector = path switch
        {
            SearchPath.Pgvector when !snapshot.HasVectorColumn =>
                throw new InvalidOperationException("The pgvector path needs catalog.agent_profile_embedding.embedding_vector, which V0005 creates only where the vector extension exists."),
            SearchPath.Pgvector => true,
            SearchPath.Array => false,
            _ => snapshot.HasVectorColumn,
        };

        var ranked = usePgvector ? await RankInDatabaseAsync(query, ranker.EmbedderId, k, filter, ct) : RankInProcess(snapshot, query, k, filter);
        return (ranked, snapshot.CatalogVersion);
    }

    /// <summary>
    /// The configured embedder's index; but while its first load takes longer than a moment (it embeds every profile
    /// after the embedder changed: minutes at 10,000 agents), the hashing embedder's, which loads in about a second.
    /// Either way one embedder ranks every agent: vectors of two are never compared.
    /// </summary>
    private async Task<(Ranker Ranker, IndexSnapshot Snapshot)> IndexAsync(CancellationToken ct)
    {
        if (_interim is null || _main.Index.Snapshot.CatalogVersion > 0)
        {
            return (_main, await _main.Index.CurrentAsync(ct));
        }

        // The first load runs whether or not this search waits for it (the warm-up's, or one started here).
        var load = Volatile.Read(ref _firstLoad);
        if (load is null || load.IsFaulted || load.IsCanceled)
        {
            var started = _main.Index.CurrentAsync(CancellationToken.None);
            _ = started.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            load = Interlocked.CompareExchange(ref _firstLoad, started, load) == load ? started : Volatile.Read(ref _firstLoad)!;
        }

        if (await Task.WhenAny(load, Task.Delay(s_firstLoadWait, ct)) == load)
        {
            return (_main, await load);
        }

        ct.ThrowIfCancellationRequested();
        return (_interim, await _interim.Index.CurrentAsync(ct));
    }

    /// <summary>Exact top k by cosine (vectors are unit length, so a dot product), ties by entity id as PostgreSQL orders uuids.</summary>
    private static List<RankedAgent> RankInProcess(IndexSnapshot snapshot, float[] query, int k, AgentFilter filter)
    {
        var statuses = filter.Statuses.Distinct().ToArray();
        // A min-heap of the best k so far: its root is the worst of them, the one a better candidate replaces.
        var best = new PriorityQueue<RankedAgent, RankedAgent>(k + 1, WorstFirst.Instance);
        foreach (var agent in snapshot.Agents)
        {
            if (!agent.Passes(filter, statuses))
            {
                continue;
            }

            var candidate = new RankedAgent(agent.Id, TensorPrimitives.Dot(query, agent.Vector));
            if (best.Count < k)
            {
                best.Enqueue(candidate, candidate);
            }
            else if (WorstFirst.Instance.Compare(candidate, best.Peek()) > 0)
            {
                best.EnqueueDequeue(candidate, candidate);
            }
        }

        var ranked = new List<RankedAgent>(best.Count);
        while (best.TryDequeue(out var hit, out _))
        {
            ranked.Add(hit);
        }

        ranked.Reverse();
        return ranked;
    }

    /// <summary>
    /// The pgvector path: the same filters in SQL (<see cref="AgentFilterSql"/>) and <c>&lt;=&gt;</c> (cosine distance)
    /// on the HNSW-indexed column. ef_search above k, and strict-order iterative scans (pgvector 0.8) so that a
    /// selective filter still gets k hits in exact distance order.
    /// </summary>
    private async Task<List<RankedAgent>> RankInDatabaseAsync(float[] query, string embedderId, int k, AgentFilter filter, CancellationToken ct)
    {
        try
        {
            return await RankInDatabaseOnceAsync(query, embedderId, k, filter, ct);
        }
        catch (InvalidCastException e) when (e.InnerException is NotSupportedException)
        {
            // The data source read the database's types before the vector extension was created (a database migrated
            // while the app ran), so it cannot write a Vector yet: read them again, and search once more.
            await _dataSource.ReloadTypesAsync(ct);
            return await RankInDatabaseOnceAsync(query, embedderId, k, filter, ct);
        }
    }

    private async Task<List<RankedAgent>> RankInDatabaseOnceAsync(float[] query, string embedderId, int k, AgentFilter filter, CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // 400: at 10,050 agents, 200 gave 0.887 of the exact top ten, 400 gave 0.953 (docs/BENCHMARKS.md).
        await connection.ExecuteAsync(
            "select set_config('hnsw.ef_search', @ef, true), set_config('hnsw.iterative_scan', 'strict_order', true)",
            new { ef = Math.Max(400, k * 4).ToString(CultureInfo.InvariantCulture), ct },
            transaction);

        // The ranking stays on Npgsql: its text and parameters are built per filter (AgentFilterSql), which Dapper.AOT
        // cannot generate, and the tests explain the very command it runs.
        await using var command = VectorCommand(query, embedderId, k, filter);
        command.Connection = connection;
        command.Transaction = transaction;
        var ranked = new List<RankedAgent>(k);
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                ranked.Add(new RankedAgent(reader.GetGuid(0), reader.GetDouble(1)));
            }
        }

        await transaction.CommitAsync(ct);
        return ranked;
    }

    /// <summary>The pgvector query over <paramref name="embedder"/>'s vectors only, without a connection (tests explain it).</summary>
    internal static NpgsqlCommand VectorCommand(float[] query, string embedder, int k, AgentFilter filter)
    {
        var command = new NpgsqlCommand();
        var sql = new StringBuilder("""
            select v.entity_id, 1 - (e.embedding_vector <=> @query) as score
            from catalog.agent_profile_embedding e
            join catalog.entity_version v on v.entity_id = e.agent_id and v.is_current and v.entity_type = 'agent'
            join catalog.agent a on a.version_id = v.version_id
            where e.embedder = @embedder
            """);
        AgentFilterSql.Append(sql, command.Parameters, filter);
        sql.Append(" order by e.embedding_vector <=> @query limit @k");
        command.CommandText = sql.ToString();
        command.Parameters.AddWithValue("query", new Vector(query));
        command.Parameters.AddWithValue("embedder", embedder);
        command.Parameters.AddWithValue("k", k);
        return command;
    }

    /// <summary>An embedder and its index.</summary>
    private sealed record Ranker(IEmbedder Embedder, string EmbedderId, AgentSearchIndex Index);

    private static SearchIndexState State(IndexSnapshot snapshot) => new(snapshot.Agents.Length, snapshot.CatalogVersion);

    /// <summary>Lower score first; among equal scores the larger id (PostgreSQL's uuid order) first.</summary>
    private sealed class WorstFirst : IComparer<RankedAgent>
    {
        public static readonly WorstFirst Instance = new();

        public int Compare(RankedAgent x, RankedAgent y)
        {
            var byScore = x.Score.CompareTo(y.Score);
            return byScore != 0 ? byScore : UuidOrder.Compare(y.Id, x.Id);
        }
    }
}

using System.Data;
using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;
using Plant.Core.Catalog;
using Plant.Core.Data;
using Plant.Core.Embeddings;

namespace Plant.Core.Agents.Search;

/// <summary>
/// The in-process index of every current agent's profile vector and filter attributes, as of one value of the
/// catalog change marker. Immutable: a refresh builds a new snapshot and swaps it in.
/// </summary>
internal sealed class IndexSnapshot
{
    /// <summary>Before the first refresh: its marker (0) is below any the database holds (1 and up).</summary>
    public static readonly IndexSnapshot Empty = new(0, [], new Dictionary<Guid, (string, string)>(), false);

    public IndexSnapshot(long catalogVersion, IndexedAgent[] agents, IReadOnlyDictionary<Guid, (string Type, string Name)> entities, bool hasVectorColumn)
    {
        CatalogVersion = catalogVersion;
        Agents = agents;
        Entities = entities;
        HasVectorColumn = hasVectorColumn;
        ByVersion = agents.ToDictionary(a => a.VersionId);
    }

    /// <summary>The change marker this snapshot is current for.</summary>
    public long CatalogVersion { get; }

    public IndexedAgent[] Agents { get; }

    public Dictionary<Guid, IndexedAgent> ByVersion { get; }

    /// <summary>Current industries, skills and job roles: type and name, for profile texts.</summary>
    public IReadOnlyDictionary<Guid, (string Type, string Name)> Entities { get; }

    /// <summary>Whether <c>agent_profile_embedding.embedding_vector</c> (pgvector) exists.</summary>
    public bool HasVectorColumn { get; }
}

/// <summary>
/// Keeps <see cref="IndexSnapshot"/> current. Every query first reads the change marker (one indexed row); when it
/// moved, the index is refreshed incrementally: the narrow list of current agents (id, version, status) and the
/// names of what they refer to are read again in one snapshot, only new versions are read in full, a profile text
/// is composed again only when its agent or a name in it changed, and a vector is taken from the store or computed
/// only when the profile text changed. So a change made by any process (Genesis, a seed, an operator) is seen by the
/// next query, and a restart costs one read of the stored vectors rather than one embedder call per agent.
/// </summary>
internal sealed class AgentSearchIndex(NpgsqlDataSource dataSource, IEmbedder embedder, string embedderId, ILogger logger)
{
    /// <summary>Profiles embedded and stored together: a refresh cut short (a restart) keeps every chunk it finished.</summary>
    private const int EmbedChunk = 256;

    /// <summary>How often a long embedding run logs its progress.</summary>
    private static readonly TimeSpan s_progressEvery = TimeSpan.FromSeconds(10);

    private readonly NpgsqlDataSource _dataSource = dataSource;
    private readonly IEmbedder _embedder = embedder;
    private readonly string _embedderId = embedderId;
    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private volatile IndexSnapshot _snapshot = IndexSnapshot.Empty;
    private volatile EmbeddingProgress? _progress;

    /// <summary>The snapshot last loaded, without reading the marker (<see cref="IndexSnapshot.Empty"/> before the first load).</summary>
    public IndexSnapshot Snapshot => _snapshot;

    /// <summary>The embedding run of the refresh under way, if it has one.</summary>
    public EmbeddingProgress? Progress => _progress;

    /// <summary>The snapshot as of the marker's value now, refreshed first if the catalog changed.</summary>
    public async Task<IndexSnapshot> CurrentAsync(CancellationToken ct)
    {
        var marker = await CatalogChanges.ReadVersionAsync(_dataSource, ct);
        var snapshot = _snapshot;
        if (snapshot.CatalogVersion >= marker)
        {
            return snapshot;
        }

        await _refreshLock.WaitAsync(ct);
        try
        {
            // Another query may have refreshed while this one waited.
            snapshot = _snapshot;
            if (snapshot.CatalogVersion >= marker)
            {
                return snapshot;
            }

            snapshot = await RefreshAsync(snapshot, ct);
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    private async Task<IndexSnapshot> RefreshAsync(IndexSnapshot previous, CancellationToken ct)
    {
        var (catalogVersion, current, entities, details, hasVectorColumn) = await ReadCatalogAsync(previous, ct);

        var changedNames = entities.Where(e => !previous.Entities.TryGetValue(e.Key, out var old) || old != e.Value)
            .Select(e => e.Key)
            .Concat(previous.Entities.Keys.Where(k => !entities.ContainsKey(k)))
            .ToHashSet();

        var agents = new IndexedAgent[current.Count];
        var needed = new List<(int Index, string Text)>();
        for (var i = 0; i < current.Count; i++)
        {
            var (id, versionId, status, certified) = current[i];
            if (previous.ByVersion.TryGetValue(versionId, out var known) && !RefersTo(known, changedNames))
            {
                agents[i] = known with { Status = status, Certified = certified };
                continue;
            }

            var d = known is null ? details[versionId] : new AgentDetails(known.Name, known.Description, known.IndustryId, known.JobRoleId, known.TeamId, known.SkillIds);
            var text = AgentProfileText.Compose(
                d.Name,
                d.Description,
                d.SkillIds.Select(s => entities.TryGetValue(s, out var skill) ? skill.Name : null).OfType<string>(),
                d.JobRoleId is { } role && entities.TryGetValue(role, out var r) ? r.Name : null,
                entities.TryGetValue(d.IndustryId, out var industry) ? industry.Name : null);
            var key = AgentProfileText.Key(_embedderId, text);
            var vector = known is not null && known.ProfileKey.AsSpan().SequenceEqual(key) ? known.Vector : null;
            agents[i] = new IndexedAgent(id, versionId, status, certified, d.IndustryId, d.JobRoleId, d.TeamId, d.SkillIds, d.Name, d.Description, key, vector!);
            if (vector is null)
            {
                needed.Add((i, text));
            }
        }

        await FillVectorsAsync(agents, needed, catalogVersion, ct);
        return new IndexSnapshot(catalogVersion, agents, entities, hasVectorColumn);
    }

    private static bool RefersTo(IndexedAgent agent, HashSet<Guid> changed) =>
        changed.Count > 0
        && (changed.Contains(agent.IndustryId) || agent.JobRoleId is { } role && changed.Contains(role) || agent.SkillIds.Any(changed.Contains));

    /// <summary>Vectors from the store where its key matches, from the embedder otherwise (then stored).</summary>
    private async Task FillVectorsAsync(IndexedAgent[] agents, List<(int Index, string Text)> needed, long catalogVersion, CancellationToken ct)
    {
        if (needed.Count == 0)
        {
            return;
        }

        var stored = await ProfileEmbeddingStore.ReadAsync(_dataSource, _embedderId, needed.ToDictionary(n => agents[n.Index].Id, n => agents[n.Index].ProfileKey), ct);
        var missing = new List<(int Index, string Text)>();
        foreach (var (index, text) in needed)
        {
            if (stored.TryGetValue(agents[index].Id, out var vector))
            {
                agents[index] = agents[index] with { Vector = Unit(vector) };
            }
            else
            {
                missing.Add((index, text));
            }
        }

        if (missing.Count == 0)
        {
            return;
        }

        // Searches wait for this refresh; /readyz (Agents: details.search) and the log say how far it is.
        var clock = Stopwatch.StartNew();
        var logged = TimeSpan.Zero;
        _progress = new EmbeddingProgress(0, missing.Count);
        logger.LogInformation("Embedding {Count} agent profiles with {Embedder} (stored vectors are missing, stale or another embedder's)", missing.Count, _embedderId);
        try
        {
            foreach (var chunk in missing.Chunk(EmbedChunk))
            {
                await EmbedAndStoreAsync(agents, chunk, catalogVersion, ct);
                _progress = _progress with { Done = _progress.Done + chunk.Length };
                if (clock.Elapsed - logged >= s_progressEvery && _progress.Done < missing.Count)
                {
                    logged = clock.Elapsed;
                    logger.LogInformation("Embedding agent profiles with {Embedder}: {Done} of {Count}", _embedderId, _progress.Done, missing.Count);
                }
            }
        }
        finally
        {
            _progress = null;
        }

        logger.LogInformation("Embedded {Count} agent profiles with {Embedder} in {ElapsedMilliseconds} ms", missing.Count, _embedderId, clock.ElapsedMilliseconds);
    }

    private async Task EmbedAndStoreAsync(IndexedAgent[] agents, (int Index, string Text)[] chunk, long catalogVersion, CancellationToken ct)
    {
        var vectors = await _embedder.EmbedAsync([.. chunk.Select(c => c.Text)], ct);
        if (vectors.Count != chunk.Length || vectors.Any(v => v.Length != Embedders.Dimensions))
        {
            throw new EmbedderException($"The embedder returned {vectors.Count} vectors for {chunk.Length} texts, or a vector without {Embedders.Dimensions} dimensions.");
        }

        var rows = new List<(Guid, byte[], float[])>(chunk.Length);
        for (var i = 0; i < chunk.Length; i++)
        {
            var agent = agents[chunk[i].Index] = agents[chunk[i].Index] with { Vector = Unit(vectors[i]) };
            rows.Add((agent.Id, agent.ProfileKey, agent.Vector));
        }

        await ProfileEmbeddingStore.WriteAsync(_dataSource, _embedderId, rows, catalogVersion, ct);
    }

    /// <summary>A copy scaled to unit length, so that a dot product is the cosine whatever the embedder returned.</summary>
    private static float[] Unit(float[] vector)
    {
        var copy = (float[])vector.Clone();
        VectorMath.Normalize(copy);
        return copy;
    }

    private sealed record AgentDetails(string Name, string Description, Guid IndustryId, Guid? JobRoleId, Guid? TeamId, Guid[] SkillIds);

    /// <summary>A current agent version, as the refresh lists them all.</summary>
    internal sealed record CurrentAgentRow(Guid EntityId, Guid VersionId, string Status, string CertificationStatus);

    /// <summary>A current industry, skill or job role: what profile texts name.</summary>
    internal sealed record EntityRow(Guid EntityId, string EntityType, string Name);

    /// <summary>A new agent version as the refresh reads it in full.</summary>
    internal sealed record DetailsRow(Guid VersionId, string Name, string Description, Guid IndustryId, Guid? JobRoleId, Guid? TeamId, Guid[] SkillIds);

    /// <summary>
    /// Everything the refresh reads, in one repeatable-read snapshot, so that the marker and the data agree: a change
    /// committed during the read is either wholly in it or leaves the marker behind, and the next query refreshes.
    /// </summary>
    private async Task<(long CatalogVersion, List<(Guid Id, Guid VersionId, AgentListingStatus Status, bool Certified)> Current,
        Dictionary<Guid, (string Type, string Name)> Entities, Dictionary<Guid, AgentDetails> Details, bool HasVectorColumn)>
        ReadCatalogAsync(IndexSnapshot previous, CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        // One round trip for the four reads: an Npgsql batch (Dapper has none); its rows go through parsers Dapper.AOT
        // generates (GetRowParser), which bind columns by name.
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new(CatalogChanges.Sql),
                new("""
                    select v.entity_id, v.version_id, v.status, v.certification_status
                    from catalog.entity_version v
                    where v.is_current and v.entity_type = 'agent'
                    order by v.entity_id
                    """),
                new("""
                    select entity_id, entity_type, name from catalog.entity_version
                    where is_current and entity_type in ('industry', 'skill', 'job_role')
                    """),
                new("""
                    select exists (select 1 from pg_attribute
                                   where attrelid = 'catalog.agent_profile_embedding'::regclass and attname = 'embedding_vector' and not attisdropped)
                    """),
            },
        };

        long catalogVersion;
        var current = new List<(Guid, Guid, AgentListingStatus, bool)>();
        var entities = new Dictionary<Guid, (string, string)>();
        bool hasVectorColumn;
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            catalogVersion = reader.GetInt64(0);
            await reader.NextResultAsync(ct);
            var parseAgent = reader.GetRowParser<CurrentAgentRow>();
            while (await reader.ReadAsync(ct))
            {
                var agent = parseAgent(reader);
                current.Add((agent.EntityId, agent.VersionId, IndexedAgent.ListingStatus(agent.Status, agent.CertificationStatus), agent.CertificationStatus == "certified"));
            }

            await reader.NextResultAsync(ct);
            var parseEntity = reader.GetRowParser<EntityRow>();
            while (await reader.ReadAsync(ct))
            {
                var entity = parseEntity(reader);
                entities[entity.EntityId] = (entity.EntityType, entity.Name);
            }

            await reader.NextResultAsync(ct);
            await reader.ReadAsync(ct);
            hasVectorColumn = reader.GetBoolean(0);
        }

        var details = new Dictionary<Guid, AgentDetails>();
        var fresh = current.Select(c => c.Item2).Where(v => !previous.ByVersion.ContainsKey(v)).ToArray();
        if (fresh.Length > 0)
        {
            const string Sql = """
                select a.version_id, v.name, v.description, a.industry_id, a.job_role_id, a.team_id,
                       array(select s.skill_id from catalog.agent_skill s where s.agent_version_id = a.version_id) as skill_ids
                from catalog.agent a
                join catalog.entity_version v on v.version_id = a.version_id
                where a.version_id = any(@versions)
                """;
            var rows = await connection.QueryAsync<DetailsRow>(Sql, new { versions = PgArray.Of(fresh), ct }, transaction);
            foreach (var row in rows)
            {
                var skills = row.SkillIds;
                Array.Sort(skills);
                details[row.VersionId] = new AgentDetails(row.Name, row.Description, row.IndustryId, row.JobRoleId, row.TeamId, skills);
            }
        }

        await transaction.CommitAsync(ct);
        return (catalogVersion, current, entities, details, hasVectorColumn);
    }
}

using System.Data;
using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Plant.Core.Catalog;
using Plant.Core.Configuration;

namespace Plant.Core.Agents.ReadModel;

/// <summary>
/// Every current agent, held in memory (<see cref="AgentSnapshot"/>) so that a list or item request whose catalog
/// version is already held costs PostgreSQL one read of the change marker, instead of the catalog query.
/// </summary>
/// <remarks>
/// Never stale: each request reads the marker first and is answered from memory only if the snapshot is at least
/// that version. The marker grows in the same commit as every catalog change, whichever process makes it (Genesis, a
/// migration, the retention purge, a superuser: triggers, V0005), so a change is seen by the next request to any
/// instance. A request that finds the snapshot behind is answered by the query, and starts one refresh in the
/// background; so does the first request of a process: start-up never waits for the load.
/// Memory is bounded by the number of agents held (<see cref="MaximumAgentsSetting"/>, about 1.4 KB each): a catalog
/// larger than that is not loaded, and lists and items use the query, as the logs and <c>/readyz</c> say.
/// </remarks>
public sealed class AgentReadModel(NpgsqlDataSource dataSource, int maximumAgents = AgentReadModel.DefaultMaximumAgents, ILogger<AgentReadModel>? logger = null)
{
    public const string MaximumAgentsSetting = "PLANT_READ_MODEL_MAX_AGENTS";

    /// <summary>About 70 MB of agents (1.4 KB each, measured at 10,000).</summary>
    public const int DefaultMaximumAgents = 50_000;

    private readonly NpgsqlDataSource _dataSource = dataSource;
    private readonly int _maximumAgents = maximumAgents;
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;
    private readonly Lock _gate = new();
    private volatile AgentSnapshot? _snapshot;
    private volatile string? _problem;
    private long _tooLargeAt = -1; // the marker at which the catalog was found larger than the limit
    private Task? _refresh;
    private long _answers;

    /// <summary>
    /// <see cref="MaximumAgentsSetting"/>: how many agents the read model may hold; <c>0</c> turns it off.
    /// </summary>
    /// <exception cref="ConfigurationException">The setting is not a whole number from 0 to 10,000,000.</exception>
    public static int MaximumAgentsFrom(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[MaximumAgentsSetting]?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return DefaultMaximumAgents;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var maximum) && maximum <= 10_000_000
            ? maximum
            : throw new ConfigurationException(MaximumAgentsSetting, $"'{value}' is not a whole number from 0 to 10000000.");
    }

    /// <summary>What <c>/readyz</c> says of it.</summary>
    public string Describe() => (_snapshot, _problem) switch
    {
        _ when _maximumAgents == 0 => $"off ({MaximumAgentsSetting}=0): lists and items use the query",
        ({ } snapshot, null) => string.Create(CultureInfo.InvariantCulture,
            $"ready: {snapshot.Count} agents at catalog version {snapshot.CatalogVersion}, about {snapshot.EstimatedBytes / 1048576.0:0.0} MB"),
        ({ } snapshot, { } problem) => string.Create(CultureInfo.InvariantCulture,
            $"behind: holds catalog version {snapshot.CatalogVersion}, and the last refresh failed ({problem}); lists and items use the query until one succeeds"),
        (null, { } problem) => $"not loaded ({problem}): lists and items use the query",
        _ => "loading: lists and items use the query meanwhile",
    };

    /// <summary>The marker of the snapshot held, or null before the first load.</summary>
    public long? CatalogVersion => _snapshot?.CatalogVersion;

    /// <summary>How many requests memory has answered since the process started.</summary>
    public long Answers => Interlocked.Read(ref _answers);

    /// <summary>Counts one request answered from memory.</summary>
    internal void Answered() => Interlocked.Increment(ref _answers);

    /// <summary>
    /// Whether a request should read the marker to ask for the snapshot: not when the read model is off, nor while a
    /// load is under way, since only a request that found the snapshot behind starts one; the query, which reads the
    /// marker in its own round trip, answers those requests.
    /// </summary>
    internal bool MayAnswer => _maximumAgents > 0 && Volatile.Read(ref _refresh) is null or { IsCompleted: true };

    /// <summary>
    /// The snapshot if it is current for <paramref name="marker"/> (the value a request just read); otherwise null,
    /// and a refresh starts in the background unless one is under way.
    /// </summary>
    internal AgentSnapshot? Current(long marker)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && snapshot.CatalogVersion >= marker)
        {
            return snapshot;
        }

        // Too large at this version: counting again before the catalog changes would find the same.
        if (_maximumAgents == 0 || marker <= Interlocked.Read(ref _tooLargeAt))
        {
            return null;
        }

        lock (_gate)
        {
            if (_refresh is null || _refresh.IsCompleted)
            {
                _refresh = Task.Run(RefreshInBackgroundAsync);
            }
        }

        return null;
    }

    /// <summary>Loads the snapshot now, and holds it unless a newer one is held already.</summary>
    /// <exception cref="NpgsqlException">The database cannot be read.</exception>
    public async Task RefreshAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var loaded = await LoadAsync(ct);
        if (loaded is null)
        {
            return;
        }

        _problem = null;
        lock (_gate)
        {
            // Two loads may overlap (a test's and a background one): the newer snapshot wins.
            if (_snapshot is null || loaded.CatalogVersion > _snapshot.CatalogVersion)
            {
                _snapshot = loaded;
            }
        }

        _logger.LogInformation(
            "Agent read model loaded: {Agents} agents at catalog version {CatalogVersion} in {ElapsedMilliseconds} ms",
            loaded.Count, loaded.CatalogVersion, clock.ElapsedMilliseconds);
    }

    private async Task RefreshInBackgroundAsync()
    {
        try
        {
            await RefreshAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            // Requests keep using the query; the next one that finds the snapshot behind tries again.
            _problem = e.Message.ReplaceLineEndings(" ");
            _logger.LogWarning("Agent read model not loaded ({Problem}); lists and items use the query", _problem);
        }
    }

    /// <summary>
    /// The marker, every current agent ordered by name as the list's SQL orders it, the skills each agent's filter
    /// tests, and the entities filters may name: in one repeatable-read snapshot, so that the data is exactly the
    /// catalog at that marker. Null, and nothing read but a count, when there are more agents than it may hold.
    /// </summary>
    private async Task<AgentSnapshot?> LoadAsync(CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var counted = await connection.QuerySingleAsync<AgentCountRow>(
            "select (select version from catalog.change_marker) as catalog_version, count(*) as agents from catalog.entity_version where is_current and entity_type = 'agent'",
            new { ct }, transaction);
        var agents = counted.Agents;
        if (agents > _maximumAgents)
        {
            Interlocked.Exchange(ref _tooLargeAt, counted.CatalogVersion);
            var problem = string.Create(CultureInfo.InvariantCulture, $"the catalog has {agents} agents, more than {MaximumAgentsSetting} ({_maximumAgents})");
            if (_problem != problem)
            {
                _logger.LogWarning("Agent read model not loaded: {Problem}; lists and items use the query", problem);
            }

            _problem = problem;
            return null;
        }

        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new(CatalogChanges.Sql),
                new($"""
                    with page as (
                        select v.entity_id, v.version_id from catalog.entity_version v
                        where v.is_current and v.entity_type = 'agent'
                    )
                    select lower(v.name) as sort_key, {AgentQueries.ViewColumnsSql}
                    {AgentQueries.ViewFromSql}
                    order by lower(v.name), p.entity_id
                    """),
                new("""
                    select v.entity_id, array_agg(s.skill_id) as skill_ids
                    from catalog.entity_version v
                    join catalog.agent_skill s on s.agent_version_id = v.version_id
                    where v.is_current and v.entity_type = 'agent'
                    group by v.entity_id
                    """),
                new("""
                    select entity_id, entity_type from catalog.entity_version
                    where is_current and entity_type in ('industry', 'skill', 'job_role', 'team')
                    """),
            },
        };

        await using var reader = await batch.ExecuteReaderAsync(ct);
        var catalogVersion = await CatalogChanges.ReadVersionAsync(reader, ct);

        await reader.NextResultAsync(ct);
        var rows = new List<AgentQueries.AgentRow>();
        var parseAgent = reader.GetRowParser<AgentQueries.AgentRow>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(parseAgent(reader));
        }

        await reader.NextResultAsync(ct);
        var skills = new Dictionary<Guid, Guid[]>();
        var parseSkills = reader.GetRowParser<AgentSkillsRow>();
        while (await reader.ReadAsync(ct))
        {
            var row = parseSkills(reader);
            skills[row.EntityId] = row.SkillIds;
        }

        await reader.NextResultAsync(ct);
        var references = new Dictionary<Guid, string>();
        var parseReference = reader.GetRowParser<ReferenceRow>();
        while (await reader.ReadAsync(ct))
        {
            var row = parseReference(reader);
            references[row.EntityId] = row.EntityType;
        }

        var held = rows.Select(r => new HeldAgent(r.ToView(), (string)r.SortKey!, skills.GetValueOrDefault(r.EntityId, []))).ToArray();
        return new AgentSnapshot(catalogVersion, held, references);
    }

    internal sealed record AgentCountRow(long CatalogVersion, long Agents);

    internal sealed record AgentSkillsRow(Guid EntityId, Guid[] SkillIds);

    internal sealed record ReferenceRow(Guid EntityId, string EntityType);
}

using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Plant.Core.Audit;
using Plant.Core.Catalog;
using Plant.Core.Configuration;
using Plant.Core.Data;
using Plant.Core.Embeddings;
using Plant.Core.Genesis;
using Plant.Core.Migrations;
using Plant.Core.Signing;

namespace Plant.Core.Seed;

/// <summary>How many entities of each type a seed run inserted.</summary>
public sealed record SeedCounts(int Industries, int Skills, int JobRoles, int Teams, int Agents)
{
    public int Total => Industries + Skills + JobRoles + Teams + Agents;
}

/// <summary>The outcome of a seed run: what it inserted and what it found already there.</summary>
/// <param name="SchemaVersion">The schema version the seed ran against.</param>
/// <param name="Inserted">The entities this run inserted; all zero on a re-run.</param>
/// <param name="AlreadyPresent">The baseline entities that already existed and were left as they are.</param>
/// <param name="Duration">Wall time, lock wait included.</param>
public sealed record SeedResult(int SchemaVersion, SeedCounts Inserted, int AlreadyPresent, TimeSpan Duration);

/// <summary>
/// Writes the Genesis baseline (<see cref="GenesisBaseline"/>) into the catalog through Genesis itself: every
/// entity is created as a draft, validated against the constitution and certified with a signed certificate by
/// <see cref="EntityStore"/> and <see cref="Certifier"/>, and every step is in the audit trail, as if a client had
/// called Genesis. Idempotent: every entity has a deterministic id (<see cref="SeedIds"/>), an entity that exists
/// already is left exactly as it is (even if it was amended since), and the run is one transaction under an
/// advisory lock, so two seeders at once write the baseline once. Refused where
/// <see cref="PlantSettings.SeedAllowed"/> is false, and when the schema is not at the latest version of this build.
/// </summary>
/// <remarks>
/// A team needs certified member agents (L1-TEAM-005), and a team and its agents name each other through foreign
/// keys (a team's members, an agent's team), so one must be written before the other can name it: a baseline agent
/// that belongs to a team is created and certified without it (version 1), and amended to join its team once the
/// team is certified (version 2, certified too). L1-AGENT-009 asks only that the team be in service, so a client
/// may also go the other way (the team as an empty draft, its agents certified in it, then the team amended to
/// list them and certified); either way one side needs a second version, so the seed keeps its order.
/// A baseline entity the constitution rejects, or whose name another current entity has, fails the whole seed.
/// </remarks>
public sealed class CatalogSeeder
{
    /// <summary>The transaction-level advisory lock of seed runs: the single-bigint key "plntseed".</summary>
    public const long LockKey = 0x706C6E74_73656564;

    /// <summary>Written into created_by and updated_by, and as the actor of the seed's audit entries.</summary>
    public const string Actor = "plant-seed";

    private readonly NpgsqlDataSource _dataSource;
    private readonly IEmbedder _embedder;
    private readonly PlantSettings _settings;
    private readonly MigrationSet _migrations;
    private readonly EntityStore _store;
    private readonly Certifier _certifier;

    /// <param name="dataSource">The database to seed.</param>
    /// <param name="embedder">Computes the skill embeddings; must produce 384 dimensions.</param>
    /// <param name="settings">The environment's settings: the seed runs only where <see cref="PlantSettings.SeedAllowed"/>.</param>
    /// <param name="keys">Signs the baseline's certificates: the key ring Genesis verifies them with.</param>
    /// <param name="migrations">The migrations of this build, to check the schema is at the latest; embedded when null.</param>
    public CatalogSeeder(NpgsqlDataSource dataSource, IEmbedder embedder, PlantSettings settings, SigningKeyRing keys, MigrationSet? migrations = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(keys);
        _dataSource = dataSource;
        _embedder = embedder;
        _settings = settings;
        _migrations = migrations ?? MigrationSet.Embedded;
        var audit = new AuditTrail(dataSource, keys, NullLogger<AuditTrail>.Instance);
        _store = new EntityStore(dataSource, embedder, audit);
        _certifier = new Certifier(dataSource, keys, audit);
    }

    /// <summary>Writes whatever part of the baseline is missing, through Genesis, in one transaction, and logs the run.</summary>
    /// <exception cref="SeedException">Refused (environment, schema version, a name taken by another entity, a baseline entity the constitution rejects).</exception>
    public async Task<SeedResult> SeedAsync(CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        int? version = null;
        try
        {
            if (!_settings.SeedAllowed)
            {
                throw new SeedException(
                    $"the seed is not allowed in {MigrationLog.EnvironmentName(_settings.Environment)} ({PlantSettings.SeedAllowedSetting} is false; it runs in local and demo).");
            }

            await using var connection = await _dataSource.OpenConnectionAsync(ct);
            version = await RequireLatestSchemaAsync(connection, ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync("set local lock_timeout = '30s'; select pg_advisory_xact_lock(@key)", new { key = LockKey, ct }, transaction);

            var existing = await ExistingAsync(connection, transaction, ct);
            var inserted = await SeedMissingAsync(transaction, existing, ct);
            await transaction.CommitAsync(ct);
            var result = new SeedResult(version.Value, inserted, existing.Count, clock.Elapsed);
            await LogAsync(version, true, $"inserted {inserted.Total}, already present {existing.Count}", clock);
            return result;
        }
        catch (Exception e) when (e is SeedException or MigrationException or NpgsqlException or TimeoutException or EmbedderException)
        {
            await LogAsync(version, false, e.Message, clock);
            throw;
        }
    }

    /// <summary>Creates and certifies the missing entities in the order their references need.</summary>
    private async Task<SeedCounts> SeedMissingAsync(NpgsqlTransaction transaction, HashSet<Guid> existing, CancellationToken ct)
    {
        var missing = GenesisBaselineDrafts.All.Where(e => !existing.Contains(e.EntityId)).ToList();
        List<BaselineEntry> Of(EntityType type) => [.. missing.Where(e => e.Draft.EntityType == type)];
        var skills = Of(EntityType.Skill);
        var embeddings = skills.Count == 0
            ? []
            : await _embedder.EmbedAsync([.. skills.Select(s => $"{s.Draft.Name}: {s.Draft.Description}")], ct);
        if (embeddings.Count != skills.Count || embeddings.Any(e => e.Length != Embedders.Dimensions))
        {
            throw new SeedException($"the embedder returned {embeddings.Count} vectors for {skills.Count} skills, or a vector without {Embedders.Dimensions} dimensions.");
        }

        foreach (var industry in Of(EntityType.Industry))
        {
            await CreateCertifiedAsync(transaction, industry, null, ct);
        }

        foreach (var (skill, embedding) in skills.Zip(embeddings))
        {
            await CreateCertifiedAsync(transaction, skill, embedding, ct);
        }

        foreach (var role in Of(EntityType.JobRole))
        {
            await CreateCertifiedAsync(transaction, role, null, ct);
        }

        // Agents first, without their team: a team can only be certified once its members are.
        var agents = Of(EntityType.Agent);
        foreach (var agent in agents)
        {
            await CreateCertifiedAsync(transaction, agent with { Draft = (AgentDraft)agent.Draft with { TeamId = null } }, null, ct);
        }

        var teams = Of(EntityType.Team);
        foreach (var team in teams)
        {
            await CreateCertifiedAsync(transaction, team, null, ct);
        }

        foreach (var agent in agents.Where(a => ((AgentDraft)a.Draft).TeamId is not null))
        {
            var versionId = SeedIds.Version(EntityType.Agent.SchemaName(), agent.Draft.Name, 2);
            Require(await _store.AmendAsync(transaction, EntityType.Agent, agent.EntityId, agent.Draft, 1, Actor, versionId, null, ct), agent.Draft);
            await CertifyAsync(transaction, agent.Draft, agent.EntityId, ct);
        }

        return new SeedCounts(Of(EntityType.Industry).Count, skills.Count, Of(EntityType.JobRole).Count, teams.Count, agents.Count);
    }

    private async Task CreateCertifiedAsync(NpgsqlTransaction transaction, BaselineEntry entry, float[]? embedding, CancellationToken ct)
    {
        var versionId = SeedIds.FirstVersion(entry.Draft.EntityType.SchemaName(), entry.Draft.Name);
        Require(await _store.CreateAsync(transaction, entry.Draft, Actor, entry.EntityId, versionId, embedding, ct), entry.Draft);
        await CertifyAsync(transaction, entry.Draft, entry.EntityId, ct);
    }

    private async Task CertifyAsync(NpgsqlTransaction transaction, EntityDraft draft, Guid id, CancellationToken ct)
    {
        var certified = await _certifier.CertifyAsync(transaction, draft.EntityType, id, null, Actor, ct);
        if (certified.Outcome != CertifyOutcome.Issued)
        {
            var why = certified.Report is { } report
                ? string.Join("; ", report.Violations.Select(v => $"{v.RuleId} at {v.Field}: {v.Message}"))
                : certified.Detail ?? certified.Outcome.ToString();
            throw new SeedException($"the baseline {draft.EntityType.DisplayName()} '{draft.Name}' was not certified ({why}); nothing was seeded.");
        }
    }

    private static void Require(EntityWriteResult result, EntityDraft draft)
    {
        if (result.Outcome == WriteOutcome.Written)
        {
            return;
        }

        var errors = result.Check?.Errors ?? [];
        throw new SeedException(errors.Contains(DraftChecker.NameTakenError)
            ? $"a current catalog entity already has the name of a baseline entity (the {draft.EntityType.DisplayName()} '{draft.Name}'); nothing was seeded."
            : $"the baseline {draft.EntityType.DisplayName()} '{draft.Name}' could not be written ({result.Outcome}: {string.Join("; ", errors.Select(e => $"{e.Field} {e.Message}"))}{result.Detail}); nothing was seeded.");
    }

    private async Task<int> RequireLatestSchemaAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var applied = await MigrationHistory.ReadAsync(connection, ct) ?? [];
        var problems = MigrationValidator.FindProblems(_migrations, applied);
        if (problems.Count > 0)
        {
            throw new SeedException("the migration history has problems; run status: " + string.Join(" ", problems));
        }

        var current = applied.Where(a => a.Success).Select(a => a.Version).DefaultIfEmpty(0).Max();
        return current == _migrations.Latest
            ? current
            : throw new SeedException(
                $"the schema is at V{Migration.FormatVersion(current)} and the seed needs the latest, V{Migration.FormatVersion(_migrations.Latest)}; run up first.");
    }

    private static async Task<HashSet<Guid>> ExistingAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var ids = GenesisBaselineDrafts.All.Select(e => e.EntityId).ToArray();
        var existing = await connection.QueryAsync<Guid>(
            "select entity_id from catalog.entity where entity_id = any(@ids)", new { ids = PgArray.Of(ids), ct }, transaction);
        return [.. existing];
    }

    private async Task LogAsync(int? version, bool success, string message, Stopwatch clock)
    {
        var entry = new MigrationLogEntry(
            DateTimeOffset.UtcNow,
            _settings.Environment,
            "seed",
            version,
            version,
            success,
            (int)Math.Min(int.MaxValue, clock.ElapsedMilliseconds),
            message);
        await MigrationLog.TryWriteAsync(_dataSource, entry, CancellationToken.None);
    }
}

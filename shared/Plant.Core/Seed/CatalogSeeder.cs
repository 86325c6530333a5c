using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Plant.Core.Configuration;
using Plant.Core.Embeddings;
using Plant.Core.Migrations;

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
/// Writes the Genesis baseline (<see cref="GenesisBaseline"/>) into the catalog. Idempotent: every row has a
/// deterministic id (<see cref="SeedIds"/>), an entity that exists already is left exactly as it is (even if it was
/// amended since), and the run is one transaction under an advisory lock, so two seeders at once insert the
/// baseline once. Refused where <see cref="PlantSettings.SeedAllowed"/> is false, and when the schema is not at
/// the latest version of this build.
/// </summary>
/// <remarks>
/// Seeded entities are written active and certified with the certificate reference
/// <see cref="CertificateRef"/>. Genesis will later route the seed through certification (signed certificates,
/// audit entries); until then this is the one writer that marks entities certified itself.
/// </remarks>
public sealed class CatalogSeeder
{
    /// <summary>The transaction-level advisory lock of seed runs: the single-bigint key "plntseed".</summary>
    public const long LockKey = 0x706C6E74_73656564;

    /// <summary>Written into created_by and updated_by.</summary>
    public const string Actor = "plant-seed";

    /// <summary>The certificate reference of seeded versions, until Genesis certifies the baseline itself.</summary>
    public const string CertificateRef = "genesis-baseline-seed";

    private const int EmbeddingDimensions = 384;
    private const string Attributes = """{"source": "genesis-baseline"}""";
    private static readonly string[] s_tags = ["genesis-baseline"];

    private readonly NpgsqlDataSource _dataSource;
    private readonly IEmbedder _embedder;
    private readonly PlantSettings _settings;
    private readonly MigrationSet _migrations;

    /// <param name="dataSource">The database to seed.</param>
    /// <param name="embedder">Computes the skill embeddings; must produce 384 dimensions.</param>
    /// <param name="settings">The environment's settings: the seed runs only where <see cref="PlantSettings.SeedAllowed"/>.</param>
    /// <param name="migrations">The migrations of this build, to check the schema is at the latest; embedded when null.</param>
    public CatalogSeeder(NpgsqlDataSource dataSource, IEmbedder embedder, PlantSettings settings, MigrationSet? migrations = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(settings);
        if (embedder.Dimensions != EmbeddingDimensions)
        {
            throw new ArgumentException($"The embedder gives {embedder.Dimensions} dimensions; catalog.skill.embedding holds {EmbeddingDimensions}.", nameof(embedder));
        }

        _dataSource = dataSource;
        _embedder = embedder;
        _settings = settings;
        _migrations = migrations ?? MigrationSet.Embedded;
    }

    /// <summary>Inserts whatever part of the baseline is missing, in one transaction, and logs the run.</summary>
    /// <exception cref="SeedException">Refused (environment, schema version, a name taken by another entity).</exception>
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
            await using (var lockCommand = new NpgsqlCommand("set local lock_timeout = '30s'; select pg_advisory_xact_lock(@key)", connection, transaction))
            {
                lockCommand.Parameters.AddWithValue("key", LockKey);
                await lockCommand.ExecuteNonQueryAsync(ct);
            }

            var existing = await ExistingAsync(connection, transaction, ct);
            var (batch, inserted) = await PlanAsync(existing, ct);
            await using (batch)
            {
                if (batch.BatchCommands.Count > 0)
                {
                    batch.Connection = connection;
                    batch.Transaction = transaction;
                    await batch.ExecuteNonQueryAsync(ct);
                }
            }

            await transaction.CommitAsync(ct);
            var result = new SeedResult(version.Value, inserted, existing.Count, clock.Elapsed);
            await LogAsync(version, true, $"inserted {inserted.Total}, already present {existing.Count}", clock);
            return result;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "entity_version_current_name")
        {
            var failure = new SeedException($"a current catalog entity already has the name of a baseline entity ({e.Detail ?? e.MessageText}); nothing was seeded.", e);
            await LogAsync(version, false, failure.Message, clock);
            throw failure;
        }
        catch (Exception e) when (e is SeedException or MigrationException or NpgsqlException or TimeoutException or EmbedderException)
        {
            await LogAsync(version, false, e.Message, clock);
            throw;
        }
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
        var ids = GenesisBaseline.Industries.Select(i => SeedIds.Entity("industry", i.Name))
            .Concat(GenesisBaseline.Skills.Select(s => SeedIds.Entity("skill", s.Name)))
            .Concat(GenesisBaseline.JobRoles.Select(r => SeedIds.Entity("job_role", r.Name)))
            .Concat(GenesisBaseline.Teams.Select(t => SeedIds.Entity("team", t.Name)))
            .Concat(GenesisBaseline.Agents.Select(a => SeedIds.Entity("agent", a.Name)))
            .ToArray();
        await using var command = new NpgsqlCommand("select entity_id from catalog.entity where entity_id = any(@ids)", connection, transaction);
        command.Parameters.AddWithValue("ids", ids);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var existing = new HashSet<Guid>();
        while (await reader.ReadAsync(ct))
        {
            existing.Add(reader.GetGuid(0));
        }

        return existing;
    }

    /// <summary>The statements that insert the missing entities: base rows, then versions, subtypes and links.</summary>
    private async Task<(NpgsqlBatch Batch, SeedCounts Inserted)> PlanAsync(HashSet<Guid> existing, CancellationToken ct)
    {
        var plan = new SeedPlan();
        var industries = GenesisBaseline.Industries.Where(i => !existing.Contains(SeedIds.Entity("industry", i.Name))).ToList();
        var skills = GenesisBaseline.Skills.Where(s => !existing.Contains(SeedIds.Entity("skill", s.Name))).ToList();
        var jobRoles = GenesisBaseline.JobRoles.Where(r => !existing.Contains(SeedIds.Entity("job_role", r.Name))).ToList();
        var teams = GenesisBaseline.Teams.Where(t => !existing.Contains(SeedIds.Entity("team", t.Name))).ToList();
        var agents = GenesisBaseline.Agents.Where(a => !existing.Contains(SeedIds.Entity("agent", a.Name))).ToList();

        foreach (var industry in industries)
        {
            var versionId = plan.AddEntity("industry", industry.Name, industry.Description, new() { ["code"] = industry.Code });
            plan.Subtype("insert into catalog.industry (version_id, code) values (@version, @code)", ("version", versionId), ("code", industry.Code));
        }

        var embeddings = skills.Count == 0
            ? []
            : await _embedder.EmbedAsync(skills.Select(s => $"{s.Name}: {s.Description}").ToList(), ct);
        if (embeddings.Count != skills.Count || embeddings.Any(e => e.Length != EmbeddingDimensions))
        {
            throw new SeedException($"the embedder returned {embeddings.Count} vectors for {skills.Count} skills, or a vector without {EmbeddingDimensions} dimensions.");
        }

        foreach (var (skill, embedding) in skills.Zip(embeddings))
        {
            var versionId = plan.AddEntity("skill", skill.Name, skill.Description, new() { ["category"] = skill.Category });
            plan.Subtype(
                "insert into catalog.skill (version_id, category, embedding) values (@version, @category, @embedding)",
                ("version", versionId), ("category", skill.Category), ("embedding", embedding));
        }

        foreach (var role in jobRoles)
        {
            var industryId = Reference("industry", role.Industry, GenesisBaseline.Industries.Select(i => i.Name));
            var skillIds = role.RequiredSkills.Select(s => Reference("skill", s, GenesisBaseline.Skills.Select(k => k.Name))).ToList();
            var versionId = plan.AddEntity("job_role", role.Name, role.Description, new()
            {
                ["seniority"] = role.Seniority,
                ["industry_id"] = industryId,
                ["required_skill_ids"] = skillIds.Order().ToList(),
            });
            plan.Subtype(
                "insert into catalog.job_role (version_id, seniority, industry_id) values (@version, @seniority, @industry)",
                ("version", versionId), ("seniority", role.Seniority), ("industry", industryId));
            foreach (var skillId in skillIds)
            {
                plan.Link("insert into catalog.job_role_skill (job_role_version_id, skill_id) values (@version, @skill)", ("version", versionId), ("skill", skillId));
            }
        }

        foreach (var team in teams)
        {
            var jobRoleId = Reference("job_role", team.JobRole, GenesisBaseline.JobRoles.Select(r => r.Name));
            var memberIds = GenesisBaseline.Agents.Where(a => a.Team == team.Name).Select(a => SeedIds.Entity("agent", a.Name)).ToList();
            var versionId = plan.AddEntity("team", team.Name, team.Description, new()
            {
                ["job_role_id"] = jobRoleId,
                ["member_agent_ids"] = memberIds.Order().ToList(),
            });
            plan.Subtype("insert into catalog.team (version_id, job_role_id) values (@version, @jobRole)", ("version", versionId), ("jobRole", jobRoleId));
            foreach (var memberId in memberIds)
            {
                plan.Link("insert into catalog.team_member (team_version_id, agent_id) values (@version, @agent)", ("version", versionId), ("agent", memberId));
            }
        }

        foreach (var agent in agents)
        {
            var role = GenesisBaseline.JobRoles.FirstOrDefault(r => r.Name == agent.JobRole)
                ?? throw new InvalidOperationException($"The baseline agent '{agent.Name}' names the unknown job role '{agent.JobRole}'.");
            var jobRoleId = SeedIds.Entity("job_role", role.Name);
            var industryId = Reference("industry", role.Industry, GenesisBaseline.Industries.Select(i => i.Name));
            Guid? teamId = agent.Team is null ? null : Reference("team", agent.Team, GenesisBaseline.Teams.Select(t => t.Name));
            var skillIds = role.RequiredSkills.Concat(agent.ExtraSkills).Distinct()
                .Select(s => Reference("skill", s, GenesisBaseline.Skills.Select(k => k.Name))).ToList();
            var versionId = plan.AddEntity("agent", agent.Name, agent.Description, new()
            {
                ["job_role_id"] = jobRoleId,
                ["industry_id"] = industryId,
                ["team_id"] = teamId,
                ["availability"] = agent.Availability,
                ["price_per_hour"] = agent.PricePerHour,
                ["currency"] = "USD",
                ["skill_ids"] = skillIds.Order().ToList(),
            });
            plan.Subtype(
                """
                insert into catalog.agent (version_id, job_role_id, industry_id, team_id, availability, price_per_hour, currency)
                values (@version, @jobRole, @industry, @team, @availability, @price, 'USD')
                """,
                ("version", versionId), ("jobRole", jobRoleId), ("industry", industryId), ("team", teamId),
                ("availability", agent.Availability), ("price", agent.PricePerHour));
            foreach (var skillId in skillIds)
            {
                plan.Link("insert into catalog.agent_skill (agent_version_id, skill_id) values (@version, @skill)", ("version", versionId), ("skill", skillId));
            }
        }

        return (plan.Build(), new SeedCounts(industries.Count, skills.Count, jobRoles.Count, teams.Count, agents.Count));
    }

    /// <summary>The id of a baseline entity another one refers to; a name outside the baseline is a bug in the data.</summary>
    private static Guid Reference(string entityType, string name, IEnumerable<string> names) =>
        names.Contains(name, StringComparer.Ordinal)
            ? SeedIds.Entity(entityType, name)
            : throw new InvalidOperationException($"The baseline refers to the unknown {entityType} '{name}'.");

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

    /// <summary>The seed's statements in the order the foreign keys need: base rows, versions, subtypes, links.</summary>
    private sealed class SeedPlan
    {
        private readonly List<NpgsqlBatchCommand> _entities = [];
        private readonly List<NpgsqlBatchCommand> _versions = [];
        private readonly List<NpgsqlBatchCommand> _subtypes = [];
        private readonly List<NpgsqlBatchCommand> _links = [];

        /// <summary>Adds the base and first-version rows; returns the version id.</summary>
        public Guid AddEntity(string entityType, string name, string description, SortedDictionary<string, object?> content)
        {
            var entityId = SeedIds.Entity(entityType, name);
            var versionId = SeedIds.FirstVersion(entityType, name);
            _entities.Add(Command(
                "insert into catalog.entity (entity_id, entity_type, created_by) values (@id, @type, @actor)",
                ("id", entityId), ("type", entityType), ("actor", Actor)));

            content["entity_type"] = entityType;
            content["name"] = name;
            content["description"] = description;
            var command = Command(
                """
                insert into catalog.entity_version
                    (version_id, entity_id, entity_type, name, description, status, activated_at, version, content_hash, is_current,
                     certification_status, certified_at, certificate_ref, created_by, updated_by, tags, attributes)
                values
                    (@version, @id, @type, @name, @description, 'active', now(), 1, @hash, true,
                     'certified', now(), @certificate, @actor, @actor, @tags, @attributes)
                """,
                ("version", versionId), ("id", entityId), ("type", entityType), ("name", name), ("description", description),
                ("hash", ContentHash(content)), ("certificate", CertificateRef), ("actor", Actor), ("tags", s_tags));
            command.Parameters.Add(new NpgsqlParameter("attributes", NpgsqlDbType.Jsonb) { Value = Attributes });
            _versions.Add(command);
            return versionId;
        }

        public void Subtype(string sql, params (string Name, object? Value)[] parameters) => _subtypes.Add(Command(sql, parameters));

        public void Link(string sql, params (string Name, object? Value)[] parameters) => _links.Add(Command(sql, parameters));

        public NpgsqlBatch Build()
        {
            var batch = new NpgsqlBatch();
            foreach (var command in _entities.Concat(_versions).Concat(_subtypes).Concat(_links))
            {
                batch.BatchCommands.Add(command);
            }

            return batch;
        }

        private static NpgsqlBatchCommand Command(string sql, params (string Name, object? Value)[] parameters)
        {
            var command = new NpgsqlBatchCommand(sql);
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }

            return command;
        }

        /// <summary>
        /// SHA-256 of the version's content as JSON with sorted keys. Genesis's certification defines the canonical
        /// form for amendments; the seed only needs a stable hash that fits the column.
        /// </summary>
        private static string ContentHash(SortedDictionary<string, object?> content) =>
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(content))));
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Plant.Core.Audit;
using Plant.Core.Configuration;
using Plant.Core.Embeddings;
using Plant.Core.Migrations;
using Plant.Core.Retention;
using Plant.Core.Seed;
using Plant.Core.Signing;
using Plant.Testing;

namespace Plant.Migrate.Tests.Support;

/// <summary>
/// A database of its own at the latest version with the Genesis baseline seeded, for one retention test class
/// (a purge removes whatever has expired in its database, so classes cannot share one), and the rows the tests
/// age by hand. Every helper writes rows with explicit times, so that tests place them around a cutoff.
/// </summary>
public sealed class RetentionDatabase : IAsyncLifetime
{
    private readonly bool _seed;
    private PostgresServer? _server;
    private string? _connectionString;

    public string ConnectionString => _connectionString!;

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public RetentionDatabase()
        : this(seed: true)
    {
    }

    /// <param name="seed">Whether to seed the Genesis baseline (it certifies through Genesis, so it appends to the audit chain).</param>
    internal RetentionDatabase(bool seed) => _seed = seed;

    /// <summary>The tests' shared signing key, which the seed certifies with too.</summary>
    public SigningKeyRing Keys { get; } = TestSigningKeys.Ring();

    public AuditTrail Audit { get; private set; } = null!;

    /// <summary>A seeded agent, current and certified, to start trials with.</summary>
    public Guid AgentId { get; private set; }

    /// <summary>A seeded industry, the industry of new job roles.</summary>
    public Guid IndustryId { get; private set; }

    /// <summary>A seeded skill, for job role links.</summary>
    public Guid SkillId { get; private set; }

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.SharedAsync();
        _connectionString = await _server.CreateDatabaseAsync("retention");
        DataSource = NpgsqlDataSource.Create(_connectionString);
        await TestPipeline.Create(DataSource).UpAsync();
        Audit = new AuditTrail(DataSource, Keys, NullLogger<AuditTrail>.Instance);
        if (!_seed)
        {
            return;
        }

        await new CatalogSeeder(DataSource, new FeatureHashingEmbedder(), PlantSettings.Defaults(PlantEnvironment.Local), Keys).SeedAsync();
        AgentId = await ScalarAsync<Guid>("select entity_id from catalog.entity where entity_type = 'agent' order by entity_id limit 1");
        IndustryId = await ScalarAsync<Guid>("select entity_id from catalog.entity where entity_type = 'industry' order by entity_id limit 1");
        SkillId = await ScalarAsync<Guid>("select entity_id from catalog.entity where entity_type = 'skill' order by entity_id limit 1");
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        if (_server is not null && _connectionString is not null)
        {
            await _server.DropDatabaseAsync(_connectionString);
        }

        Keys.Dispose();
    }

    /// <summary>A purge over this database (or another data source on it) with the given options.</summary>
    internal RetentionPurge Purge(RetentionPurgeOptions? options = null, NpgsqlDataSource? dataSource = null, AuditTrail? audit = null) =>
        new(dataSource ?? DataSource, audit ?? Audit, PlantSettings.Defaults(PlantEnvironment.Local), NullLogger<RetentionPurge>.Instance, null, options ?? new RetentionPurgeOptions());

    /// <summary>A run with explicit cutoffs: data (trials, versions, host records), audit and migration records alike unless given.</summary>
    public static PurgeRequest At(DateTimeOffset cutoff, bool dryRun = false, DateTimeOffset? audit = null) =>
        new() { Actor = "test", DryRun = dryRun, Cutoffs = new PurgeCutoffs(cutoff, audit, cutoff) };

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    public Task<bool> ExistsAsync(string table, string column, Guid id) =>
        ScalarAsync<bool>($"select exists (select 1 from {table} where {column} = @id)", ("id", id));

    /// <summary>
    /// A trial as the Agents app writes it (TrialService): an entity, version 1 active; a cancelled one also has
    /// version 2 (retired) superseding it with the cancellation. Returns the trial's entity id.
    /// </summary>
    public async Task<Guid> InsertTrialAsync(DateTimeOffset startsAt, DateTimeOffset endsAt, DateTimeOffset? cancelledAt = null, string createdBy = "plant-agents", string? idempotencyKey = null)
    {
        var id = Guid.CreateVersion7();
        var v1 = Guid.CreateVersion7();
        var v2 = Guid.CreateVersion7();
        await using var batch = DataSource.CreateBatch();
        Add(batch, "insert into catalog.entity (entity_id, entity_type, created_at, created_by) values (@id, 'trial', @starts, @by)",
            ("id", id), ("starts", startsAt), ("by", createdBy));
        if (idempotencyKey is not null)
        {
            Add(batch, "insert into plant_agents.idempotency_key (idempotency_key, request_hash, trial_id, created_at) values (@key, sha256(@key::bytea), @id, @starts)",
                ("key", idempotencyKey), ("id", id), ("starts", startsAt));
        }

        Add(batch, """
            insert into catalog.entity_version (version_id, entity_id, entity_type, name, status, activated_at, version, content_hash, is_current, created_at, created_by, updated_at, updated_by)
            values (@v1, @id, 'trial', 'trial ' || @id::text, 'active', @starts, 1, repeat('a', 64), true, @starts, @by, @starts, @by)
            """, ("v1", v1), ("id", id), ("starts", startsAt), ("by", createdBy));
        Add(batch, """
            insert into catalog.trial (version_id, agent_id, customer_ref, starts_at, ends_at, trial_status)
            values (@v1, @agent, 'customer-' || @id::text, @starts, @ends, 'active')
            """, ("v1", v1), ("agent", AgentId), ("id", id), ("starts", startsAt), ("ends", endsAt));
        if (cancelledAt is { } cancelled)
        {
            Add(batch, "update catalog.entity_version set is_current = false, updated_at = @at where version_id = @v1", ("v1", v1), ("at", cancelled));
            Add(batch, """
                insert into catalog.entity_version (version_id, entity_id, entity_type, name, status, activated_at, retired_at, version, supersedes, content_hash, is_current, created_at, created_by, updated_at, updated_by)
                values (@v2, @id, 'trial', 'trial ' || @id::text, 'retired', @starts, @at, 2, @v1, repeat('b', 64), true, @at, @by, @at, @by)
                """, ("v2", v2), ("v1", v1), ("id", id), ("starts", startsAt), ("at", cancelled), ("by", createdBy));
            Add(batch, """
                insert into catalog.trial (version_id, agent_id, customer_ref, starts_at, ends_at, trial_status, cancelled_at)
                values (@v2, @agent, 'customer-' || @id::text, @starts, @ends, 'cancelled', @at)
                """, ("v2", v2), ("agent", AgentId), ("id", id), ("starts", startsAt), ("ends", endsAt), ("at", cancelled));
        }

        await batch.ExecuteNonQueryAsync();
        return id;
    }

    /// <summary>
    /// A job role whose versions were written at the given times, each superseding the one before, the last
    /// current; each version has its job_role row, a required-skill link and a free relationship. Returns the
    /// version ids, oldest first.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> InsertJobRoleAsync(params DateTimeOffset[] versionTimes)
    {
        var id = Guid.CreateVersion7();
        var name = "Retention role " + id.ToString("N");
        var versions = versionTimes.Select(_ => Guid.CreateVersion7()).ToArray();
        await using var batch = DataSource.CreateBatch();
        Add(batch, "insert into catalog.entity (entity_id, entity_type, created_at, created_by) values (@id, 'job_role', @at, 'genesis')", ("id", id), ("at", versionTimes[0]));
        for (var i = 0; i < versions.Length; i++)
        {
            var current = i == versions.Length - 1;
            var command = new NpgsqlBatchCommand("""
                insert into catalog.entity_version (version_id, entity_id, entity_type, name, version, supersedes, previous_hash, content_hash, is_current, created_at, created_by, updated_at, updated_by)
                values (@v, @id, 'job_role', @name, @n, @supersedes, @previous, @hash, @current, @at, 'genesis', @at, 'genesis')
                """);
            command.Parameters.AddWithValue("v", versions[i]);
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("name", name);
            command.Parameters.AddWithValue("n", i + 1);
            command.Parameters.AddWithValue("supersedes", i == 0 ? DBNull.Value : versions[i - 1]);
            command.Parameters.AddWithValue("previous", i == 0 ? DBNull.Value : Hash(i - 1));
            command.Parameters.AddWithValue("hash", Hash(i));
            command.Parameters.AddWithValue("current", current);
            command.Parameters.AddWithValue("at", versionTimes[i]);
            batch.BatchCommands.Add(command);
            Add(batch, "insert into catalog.job_role (version_id, seniority, industry_id) values (@v, 'mid', @industry)", ("v", versions[i]), ("industry", IndustryId));
            Add(batch, "insert into catalog.job_role_skill (job_role_version_id, skill_id) values (@v, @skill)", ("v", versions[i]), ("skill", SkillId));
            Add(batch, "insert into catalog.relationship (version_id, target_id, kind) values (@v, @industry, 'related_to')", ("v", versions[i]), ("industry", IndustryId));
        }

        await batch.ExecuteNonQueryAsync();
        return versions;
    }

    /// <summary>A stand-in certificate row for a version (Genesis's V0004 table), as certification leaves one.</summary>
    public Task InsertCertificateAsync(Guid versionId) => ExecuteAsync("""
        insert into catalog.certificate (certificate_id, entity_id, version_id, version, content_hash, issued_at, key_id, algorithm, payload, signature)
        select gen_random_uuid(), v.entity_id, v.version_id, v.version, v.content_hash, now(), 'test-key', 'RSA-PSS-SHA256', '\x7b7d', '\x00'
        from catalog.entity_version v where v.version_id = @v
        """, ("v", versionId));

    private static string Hash(int i) => Convert.ToHexStringLower(BitConverter.GetBytes(i)).PadRight(64, 'c');

    private static void Add(NpgsqlBatch batch, string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        batch.BatchCommands.Add(command);
    }
}

using Npgsql;

namespace Plant.Agents.Tests.Support;

/// <summary>
/// Writes catalog rows the way another process (Genesis, an operator) would: straight into the database, never
/// through the Agents app. Tests use it for rows of their own.
/// </summary>
public static class CatalogRows
{
    private static readonly string s_hash = new('a', 64);

    /// <summary>Inserts an agent (version 1, active and certified unless told otherwise); returns its entity id.</summary>
    public static async Task<Guid> InsertAgentAsync(
        NpgsqlDataSource dataSource,
        string name,
        decimal price,
        Guid industry,
        IEnumerable<Guid>? skills = null,
        Guid? jobRole = null,
        Guid? team = null,
        string description = "An agent written by a test.",
        string status = "active",
        string certification = "certified")
    {
        var id = Guid.NewGuid();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, transaction, "insert into catalog.entity (entity_id, entity_type, created_by) values (@id, 'agent', 'test')", ("id", id));
        await InsertVersionAsync(connection, transaction, id, Guid.NewGuid(), 1, null, name, description, price, industry, skills ?? [], jobRole, team, status, certification);
        await transaction.CommitAsync();
        return id;
    }

    /// <summary>Inserts an industry (active, certified); returns its entity id.</summary>
    public static async Task<Guid> InsertIndustryAsync(NpgsqlDataSource dataSource, string name)
    {
        var id = Guid.NewGuid();
        var versionId = Guid.NewGuid();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, transaction, "insert into catalog.entity (entity_id, entity_type, created_by) values (@id, 'industry', 'test')", ("id", id));
        await ExecuteAsync(connection, transaction, """
            insert into catalog.entity_version
                (version_id, entity_id, entity_type, name, status, activated_at, version, content_hash, certification_status, certified_at,
                 certificate_ref, created_by, updated_by)
            values (@v, @id, 'industry', @name, 'active', now(), 1, @hash, 'certified', now(), 'test-certificate', 'test', 'test')
            """, ("v", versionId), ("id", id), ("name", name), ("hash", s_hash));
        await ExecuteAsync(connection, transaction, "insert into catalog.industry (version_id) values (@v)", ("v", versionId));
        await transaction.CommitAsync();
        return id;
    }

    /// <summary>Amends an agent: a new version with a new name or description, superseding the current one.</summary>
    public static async Task AmendAgentAsync(NpgsqlDataSource dataSource, Guid id, string? name = null, string? description = null, IEnumerable<Guid>? skills = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var read = new NpgsqlCommand("""
            select v.version_id, v.version, v.name, v.description, a.price_per_hour, a.industry_id, a.job_role_id, a.team_id,
                   array(select skill_id from catalog.agent_skill where agent_version_id = v.version_id), v.status, v.certification_status
            from catalog.entity_version v join catalog.agent a on a.version_id = v.version_id
            where v.entity_id = @id and v.is_current for update of v
            """, connection, transaction);
        read.Parameters.AddWithValue("id", id);
        Guid versionId;
        int version;
        string oldName, oldDescription, status, certification;
        decimal price;
        Guid industry;
        Guid? jobRole, team;
        Guid[] oldSkills;
        await using (var reader = await read.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            (versionId, version, oldName, oldDescription, price, industry) =
                (reader.GetGuid(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3), reader.GetDecimal(4), reader.GetGuid(5));
            jobRole = reader.IsDBNull(6) ? null : reader.GetGuid(6);
            team = reader.IsDBNull(7) ? null : reader.GetGuid(7);
            oldSkills = reader.GetFieldValue<Guid[]>(8);
            status = reader.GetString(9);
            certification = reader.GetString(10);
        }

        await ExecuteAsync(connection, transaction, "update catalog.entity_version set is_current = false where version_id = @v", ("v", versionId));
        await InsertVersionAsync(connection, transaction, id, Guid.NewGuid(), version + 1, versionId, name ?? oldName, description ?? oldDescription,
            price, industry, skills ?? oldSkills, jobRole, team, status, certification);
        await transaction.CommitAsync();
    }

    /// <summary>Moves the current version's lifecycle (draft, active, suspended, retired) in place, as Genesis does.</summary>
    public static Task SetStatusAsync(NpgsqlDataSource dataSource, Guid id, string status) => ExecuteAsync(dataSource, """
        update catalog.entity_version
        set status = @status, activated_at = coalesce(activated_at, now()),
            suspended_at = case when @status = 'suspended' then now() else suspended_at end,
            retired_at = case when @status = 'retired' then now() else retired_at end
        where entity_id = @id and is_current
        """, ("status", status), ("id", id));

    /// <summary>Sets the current version's certification (pending, certified, rejected) in place.</summary>
    public static Task SetCertificationAsync(NpgsqlDataSource dataSource, Guid id, string certification) => ExecuteAsync(dataSource, """
        update catalog.entity_version
        set certification_status = @certification, certified_at = case when @certification = 'pending' then null else now() end,
            certificate_ref = case when @certification = 'certified' then 'test-certificate' end
        where entity_id = @id and is_current
        """, ("certification", certification), ("id", id));

    /// <summary>Renames a skill by amending it (a new version with the new name).</summary>
    public static async Task RenameSkillAsync(NpgsqlDataSource dataSource, Guid id, string name)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, transaction, """
            create temporary table old_version on commit drop as
                select * from catalog.entity_version where entity_id = @id and is_current;
            update catalog.entity_version set is_current = false where entity_id = @id and is_current;
            insert into catalog.entity_version
                (version_id, entity_id, entity_type, name, description, status, activated_at, version, supersedes, content_hash,
                 is_current, certification_status, certified_at, certificate_ref, created_by, updated_by)
            select gen_random_uuid(), entity_id, entity_type, @name, description, status, activated_at, version + 1, version_id, content_hash,
                   true, certification_status, certified_at, certificate_ref, 'test', 'test'
            from old_version;
            """, ("id", id), ("name", name));
        // The subtype row and links of the new version copy the old one's.
        await ExecuteAsync(connection, transaction, """
            insert into catalog.skill (version_id, category, embedding)
            select n.version_id, s.category, s.embedding from catalog.entity_version n
            join old_version o on n.supersedes = o.version_id join catalog.skill s on s.version_id = o.version_id;
            """);
        await transaction.CommitAsync();
    }

    public static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await ExecuteAsync(connection, null, sql, parameters);
    }

    private static async Task InsertVersionAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, Guid versionId, int version, Guid? supersedes,
        string name, string description, decimal price, Guid industry, IEnumerable<Guid> skills, Guid? jobRole, Guid? team, string status, string certification)
    {
        await ExecuteAsync(connection, transaction, $"""
            insert into catalog.entity_version
                (version_id, entity_id, entity_type, name, description, status, activated_at, suspended_at, retired_at, version, supersedes,
                 content_hash, certification_status, certified_at, certificate_ref, created_by, updated_by)
            values (@version_id, @id, 'agent', @name, @description, @status, now(),
                    case when @status = 'suspended' then now() end, case when @status = 'retired' then now() end, @version, @supersedes,
                    @hash, @certification, case when @certification <> 'pending' then now() end,
                    case when @certification = 'certified' then 'test-certificate' end, 'test', 'test')
            """,
            ("version_id", versionId), ("id", id), ("name", name), ("description", description), ("status", status), ("version", version),
            ("supersedes", supersedes), ("hash", s_hash), ("certification", certification));
        await ExecuteAsync(connection, transaction, """
            insert into catalog.agent (version_id, job_role_id, industry_id, team_id, price_per_hour) values (@v, @role, @industry, @team, @price)
            """, ("v", versionId), ("role", jobRole), ("industry", industry), ("team", team), ("price", price));
        foreach (var skill in skills.Distinct())
        {
            await ExecuteAsync(connection, transaction, "insert into catalog.agent_skill (agent_version_id, skill_id) values (@v, @s)", ("v", versionId), ("s", skill));
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(value is null ? new NpgsqlParameter(name, NpgsqlTypes.NpgsqlDbType.Uuid) { Value = DBNull.Value } : new NpgsqlParameter(name, value));
        }

        await command.ExecuteNonQueryAsync();
    }
}

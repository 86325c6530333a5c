using Npgsql;
using Plant.Core.Migrations;
using Plant.Testing;

namespace Plant.Core.Tests.Migrations;

/// <summary>A database at the latest version and a login that is a member of plant_app only, as the apps run.</summary>
public sealed class ApplicationRoleDatabase : PostgresDatabaseFixture
{
    public ApplicationRoleDatabase()
        : base("app_role")
    {
    }

    public ApplicationLogin Login { get; private set; } = null!;

    /// <summary>Connections of the login (not of the superuser the fixture otherwise connects as).</summary>
    public NpgsqlDataSource AsApplication { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await TestPipeline.Create(DataSource).UpAsync();
        Login = await ApplicationLogin.CreateAsync();
        AsApplication = NpgsqlDataSource.Create(Login.ConnectionStringFor(ConnectionString));
    }

    /// <summary>Runs SQL as the superuser, who owns the schema here.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public override async Task DisposeAsync()
    {
        await AsApplication.DisposeAsync();
        await base.DisposeAsync();
        await Login.DisposeAsync();
    }
}

/// <summary>
/// What V0008 (with V0003) lets role plant_app do: what the apps do, and nothing that changes what is append-only,
/// removes rows or changes the schema (docs/AUDIT.md, "Database users"). The apps' whole flows as plant_app are in
/// the Genesis, Agents and Hosting tests.
/// </summary>
public sealed class ApplicationRoleTests(ApplicationRoleDatabase db) : IClassFixture<ApplicationRoleDatabase>
{
    [Theory]
    // What a version says, and the retention purge's one change of it.
    [InlineData("update catalog.entity_version set name = 'renamed'")]
    [InlineData("update catalog.entity_version set content_hash = repeat('0', 64)")]
    [InlineData("update catalog.entity_version set supersedes = null, predecessor_purged = true")]
    [InlineData("update catalog.agent set price_per_hour = 0")]
    [InlineData("update catalog.entity set created_by = 'someone'")]
    [InlineData("update catalog.certificate set key_id = 'forged'")]
    [InlineData("update catalog.trial set trial_status = 'cancelled'")]
    [InlineData("update plant_agents.idempotency_key set trial_id = trial_id")]
    [InlineData("update plant_agents.cursor_key set key = key")]
    [InlineData("update plant_host.timer_runs set succeeded = true")]
    [InlineData("update genesis.audit_entry set canonical = canonical")]
    // Removing rows: the retention purge's, run by the owner.
    [InlineData("delete from catalog.entity_version")]
    [InlineData("delete from catalog.entity")]
    [InlineData("delete from catalog.agent_skill")]
    [InlineData("delete from catalog.certificate")]
    [InlineData("delete from catalog.trial")]
    [InlineData("delete from catalog.agent_profile_embedding")]
    [InlineData("delete from plant_agents.idempotency_key")]
    [InlineData("delete from plant_host.timer_runs")]
    [InlineData("delete from plant_host.scheduler_deliveries")]
    [InlineData("delete from genesis.audit_entry")]
    [InlineData("truncate catalog.entity_version cascade")]
    [InlineData("truncate plant_host.timer_status")]
    // Checkpoints and cuts of the audit chain: the retention purge's too.
    [InlineData("insert into genesis.audit_checkpoint (sequence, hash, key_id, signature, created_at) values (1, sha256(''), 'k', 's', now())")]
    [InlineData("select genesis.audit_cut(1)")]
    // What no app reads.
    [InlineData("select count(*) from catalog.relationship")]
    [InlineData("select count(*) from plant_migrations.history")]
    public async Task The_application_role_cannot_change_or_remove_what_the_apps_only_append(string sql)
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsApplicationAsync(sql));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        Assert.StartsWith("permission denied for ", error.MessageText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("create schema app_owned")]
    [InlineData("create table catalog.extra (id int)")]
    [InlineData("create table plant_host.extra (id int)")]
    [InlineData("create table plant_agents.extra (id int)")]
    [InlineData("create table genesis.extra (id int)")]
    [InlineData("create index extra on catalog.entity (created_by)")]
    [InlineData("create function catalog.extra() returns int language sql return 1")]
    [InlineData("create trigger extra before insert on catalog.entity for each row execute function catalog.change_marker_bump()")]
    [InlineData("alter table catalog.entity_version disable trigger user")]
    [InlineData("alter table catalog.entity_version add column extra int")]
    [InlineData("alter table genesis.audit_entry disable trigger audit_entry_append_only")]
    [InlineData("drop table plant_host.timer_runs")]
    [InlineData("drop schema plant_agents cascade")]
    [InlineData("comment on table catalog.entity is 'changed'")]
    public async Task The_application_role_cannot_change_the_schema(string sql)
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsApplicationAsync(sql));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    [Fact]
    public async Task The_column_it_may_update_to_lock_an_entity_cannot_change()
    {
        var entity = Guid.NewGuid();
        await db.ExecuteAsync($"""
            insert into catalog.entity (entity_id, entity_type, created_by) values ('{entity}', 'industry', 'test');
            insert into catalog.entity_version (entity_id, entity_type, name, version, content_hash, created_by, updated_by)
            values ('{entity}', 'industry', 'Locked Industry {entity:N}', 1, repeat('a', 64), 'test', 'test');
            """);

        // Locking is what the grant is for (EntityStore queues writers of an entity on its row).
        await ExecuteAsApplicationAsync($"select 1 from catalog.entity where entity_id = '{entity}' for no key update");
        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            ExecuteAsApplicationAsync($"update catalog.entity set entity_id = gen_random_uuid() where entity_id = '{entity}'"));

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
    }

    [Fact]
    public async Task The_login_is_neither_superuser_nor_owner_and_holds_nothing_but_plant_app()
    {
        await using var command = db.AsApplication.CreateCommand("""
            select r.rolsuper, r.rolcreatedb, r.rolcreaterole,
                   pg_has_role(current_user, 'plant_app', 'usage'),
                   (select count(*) from pg_auth_members m where m.member = r.oid),
                   exists (select 1 from pg_class c where c.relowner = r.oid)
            from pg_roles r where r.rolname = current_user
            """);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());

        Assert.Equal((false, false, false, true, 1L, false),
            (reader.GetBoolean(0), reader.GetBoolean(1), reader.GetBoolean(2), reader.GetBoolean(3), reader.GetInt64(4), reader.GetBoolean(5)));
    }

    [Fact]
    public async Task V0008s_down_script_takes_back_exactly_what_its_up_script_changed()
    {
        await using var scratch = await ScratchDatabase.CreateAsync("mig_app_role");
        await scratch.Pipeline().UpAsync(7);
        var before = await PrivilegesAsync(scratch);

        await scratch.Pipeline().UpAsync(8);
        var granted = await PrivilegesAsync(scratch);
        await scratch.Pipeline().DownAsync(7);
        var after = await PrivilegesAsync(scratch);

        Assert.Contains("table catalog.entity_version: INSERT", granted);
        Assert.Contains("column catalog.entity_version.is_current: UPDATE", granted);
        Assert.Contains("table plant_host.timer_runs: INSERT", granted);
        Assert.DoesNotContain("function genesis.audit_cut(bigint): EXECUTE", granted);
        Assert.Contains("function genesis.audit_cut(bigint): EXECUTE", before);
        Assert.Equal(before, after);
    }

    /// <summary>Every privilege plant_app holds in a database, one line each, sorted.</summary>
    private static async Task<List<string>> PrivilegesAsync(ScratchDatabase database)
    {
        await using var command = database.DataSource.CreateCommand("""
            with app as (select oid from pg_roles where rolname = 'plant_app')
            select line from (
                select format('schema %s: %s', n.nspname, a.privilege_type) as line
                from pg_namespace n, aclexplode(n.nspacl) a, app where a.grantee = app.oid
                union all
                select format('table %s: %s', c.oid::regclass, a.privilege_type)
                from pg_class c, aclexplode(c.relacl) a, app where a.grantee = app.oid
                union all
                select format('column %s.%s: %s', c.oid::regclass, t.attname, a.privilege_type)
                from pg_attribute t join pg_class c on c.oid = t.attrelid, aclexplode(t.attacl) a, app where a.grantee = app.oid
                union all
                select format('function %s: %s', p.oid::regprocedure, a.privilege_type)
                from pg_proc p, aclexplode(p.proacl) a, app where a.grantee = app.oid
            ) privileges
            order by line
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    }

    private async Task ExecuteAsApplicationAsync(string sql)
    {
        await using var command = db.AsApplication.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}

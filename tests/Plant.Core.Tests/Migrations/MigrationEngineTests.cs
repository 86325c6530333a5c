using Plant.Core.Configuration;
using Plant.Core.Migrations;
using Plant.Core.Migrations.Runs;
using Plant.Testing;

namespace Plant.Core.Tests.Migrations;

public sealed class MigrationEngineTests
{
    [Fact]
    public void Embedded_set_holds_the_catalog_the_vector_and_the_audit_migration_with_down_scripts()
    {
        var set = MigrationSet.Embedded;

        Assert.Equal([1, 2, 3], set.Migrations.Select(m => m.Version).Take(3));
        Assert.Contains(5, set.Migrations.Select(m => m.Version));
        Assert.Equal("catalog base", set.Migrations[0].Description);
        Assert.Equal("genesis audit", set.Migrations[2].Description);
        Assert.All(set.Migrations, m => Assert.NotNull(m.DownSql));
        Assert.All(set.Migrations, m => Assert.Matches("^[0-9a-f]{64}$", m.Checksum));
    }

    [Fact]
    public async Task Up_from_empty_down_to_zero_and_up_again_gives_an_identical_schema()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_roundtrip");
        var pipeline = db.Pipeline();

        var first = await pipeline.UpAsync();
        var firstDump = await db.SchemaDumpAsync();
        var down = await pipeline.DownAsync(0);
        var afterDown = await db.ScalarAsync<bool>("select to_regnamespace('catalog') is null and to_regnamespace('genesis') is null");
        var second = await pipeline.UpAsync();
        var secondDump = await db.SchemaDumpAsync();
        var versions = MigrationSet.Embedded.Migrations.Select(m => m.Version).ToList();

        Assert.Equal((0, MigrationSet.Embedded.Latest), (first.FromVersion, first.ToVersion));
        Assert.Equal(Enumerable.Reverse(versions), down.Ran);
        Assert.Equal(0, down.ToVersion);
        Assert.True(afterDown);
        Assert.Equal(versions, second.Ran);
        Assert.Contains("CREATE TABLE catalog.entity_version", firstDump, StringComparison.Ordinal);
        Assert.Equal(firstDump, secondDump);
        Assert.Equal(MigrationSet.Embedded.Migrations.Select(m => (m.Version, m.Checksum, true)), await db.HistoryAsync());
    }

    [Fact]
    public async Task Catalog_schema_enforces_current_version_name_uniqueness_and_append_only()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_catalog");
        await db.Pipeline().UpAsync();
        const string Hash = "'0000000000000000000000000000000000000000000000000000000000000000'";
        await db.ExecuteAsync($"""
            insert into catalog.entity (entity_id, entity_type, created_by) values ('00000000-0000-0000-0000-000000000001', 'skill', 't');
            insert into catalog.entity_version (version_id, entity_id, entity_type, name, version, content_hash, created_by, updated_by)
            values ('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-000000000001', 'skill', 'Python', 1, {Hash}, 't', 't');
            insert into catalog.skill (version_id, category, embedding) values ('00000000-0000-0000-0000-0000000000a1', 'technical', array_fill(0.5::real, array[384]));
            """);

        // A second current version of the same entity, a second current 'python' skill, a wrong category,
        // an embedding of the wrong size, and editing a version in place are all refused by the database.
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.ExecuteAsync($"""
            insert into catalog.entity_version (entity_id, entity_type, name, version, supersedes, content_hash, created_by, updated_by)
            values ('00000000-0000-0000-0000-000000000001', 'skill', 'Python 3', 2, '00000000-0000-0000-0000-0000000000a1', {Hash}, 't', 't')
            """));
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.ExecuteAsync($"""
            insert into catalog.entity (entity_id, entity_type, created_by) values ('00000000-0000-0000-0000-000000000002', 'skill', 't');
            insert into catalog.entity_version (entity_id, entity_type, name, version, content_hash, created_by, updated_by)
            values ('00000000-0000-0000-0000-000000000002', 'skill', 'PYTHON', 1, {Hash}, 't', 't')
            """));
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.ExecuteAsync(
            "update catalog.skill set category = 'magic'"));
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.ExecuteAsync(
            "update catalog.skill set embedding = array_fill(0.5::real, array[3])"));
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.ExecuteAsync(
            "update catalog.entity_version set name = 'Ruby'"));

        // An amendment: the old version stops being current, the new one supersedes it.
        await db.ExecuteAsync($"""
            begin;
            update catalog.entity_version set is_current = false where version_id = '00000000-0000-0000-0000-0000000000a1';
            insert into catalog.entity_version (entity_id, entity_type, name, version, supersedes, content_hash, created_by, updated_by)
            values ('00000000-0000-0000-0000-000000000001', 'skill', 'Python 3', 2, '00000000-0000-0000-0000-0000000000a1', {Hash}, 't', 't');
            commit;
            """);
        Assert.Equal("Python 3", await db.ScalarAsync<string>(
            "select name from catalog.entity_version where entity_id = '00000000-0000-0000-0000-000000000001' and is_current"));
    }

    [Fact]
    public async Task The_vector_migrations_add_HNSW_indexed_vector_copies_that_triggers_keep_in_step()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_vector");
        // scripts/postgres.sh builds pgvector for the test server, as Cloud SQL has it.
        Assert.True(await db.ScalarAsync<bool>("select exists (select 1 from pg_available_extensions where name = 'vector')"));

        await db.Pipeline().UpAsync();

        Assert.Equal(2L, await db.ScalarAsync<long>(
            "select count(*) from information_schema.columns where table_schema = 'catalog' and column_name = 'embedding_vector' and udt_name = 'vector'"));
        Assert.Equal(2L, await db.ScalarAsync<long>(
            "select count(*) from pg_indexes where schemaname = 'catalog' and indexdef like '%USING hnsw (embedding_vector vector_cosine_ops)%'"));
        await db.ExecuteAsync("""
            insert into catalog.entity (entity_id, entity_type, created_by) values ('00000000-0000-0000-0000-000000000001', 'skill', 't');
            insert into catalog.entity_version (version_id, entity_id, entity_type, name, version, content_hash, created_by, updated_by)
            values ('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-000000000001', 'skill', 'Python', 1, repeat('0', 64), 't', 't');
            insert into catalog.skill (version_id, category, embedding)
            values ('00000000-0000-0000-0000-0000000000a1', 'technical', array_fill(0.5::real, array[384]));
            """);
        Assert.True(await db.ScalarAsync<bool>("select embedding_vector = embedding::vector(384) from catalog.skill"));
    }

    [Fact]
    public async Task Up_to_a_target_stops_there_and_status_lists_the_rest_as_pending()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_target");
        var pipeline = db.Pipeline(TestMigrations.Tables("a", "b", "c"));

        var result = await pipeline.UpAsync(2);
        var status = await pipeline.StatusAsync();

        Assert.Equal([1, 2], result.Ran);
        Assert.Equal(2, status.CurrentVersion);
        Assert.Equal(3, status.LatestVersion);
        Assert.Equal([1, 2], status.History.Select(a => a.Version));
        var pending = Assert.Single(status.Pending);
        Assert.Equal((3, TestMigrations.Table(3, "c").Checksum), (pending.Version, pending.Checksum));
        Assert.Empty(status.Problems);
    }

    [Fact]
    public async Task Plan_lists_pending_sql_and_changes_nothing()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_plan");
        var set = TestMigrations.Tables("a", "b");
        var before = await db.SchemaDumpAsync();

        var plan = (await db.Pipeline(set).PlanAsync()).Plan.Migrations;

        Assert.Equal([1, 2], plan.Select(p => p.Version));
        Assert.Equal("create table a (id int primary key);", plan[0].UpSql);
        Assert.Equal(before, await db.SchemaDumpAsync());

        await db.Pipeline(set).UpAsync(1);
        var historyBefore = await db.HistoryAsync();
        var dumpBefore = await db.SchemaDumpAsync();
        var second = (await db.Pipeline(set).PlanAsync()).Plan.Migrations;
        Assert.Equal([2], second.Select(p => p.Version));
        Assert.Equal(historyBefore, await db.HistoryAsync());
        Assert.Equal(dumpBefore, await db.SchemaDumpAsync());
    }

    [Fact]
    public async Task An_edited_applied_migration_is_refused_naming_the_version()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_edited");
        await db.Pipeline(TestMigrations.Tables("a", "b")).UpAsync();
        var edited = MigrationSet.FromList([
            TestMigrations.Table(1, "a"),
            new Migration(2, "create b", "create table b (id bigint primary key);", "drop table b;"),
            TestMigrations.Table(3, "c"),
        ]);

        var error = await Assert.ThrowsAsync<MigrationException>(() => db.Pipeline(edited).UpAsync());

        Assert.Contains("V0002", error.Message, StringComparison.Ordinal);
        Assert.Contains("changed after it was applied", error.Message, StringComparison.Ordinal);
        Assert.False(await db.ScalarAsync<bool>("select to_regclass('c') is not null"));
        Assert.NotEmpty((await db.Pipeline(edited).StatusAsync()).Problems);
    }

    [Fact]
    public async Task An_applied_version_missing_from_the_build_is_refused()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_missing");
        await db.Pipeline(TestMigrations.Tables("a", "b", "c")).UpAsync();

        var error = await Assert.ThrowsAsync<MigrationException>(() => db.Pipeline(TestMigrations.Tables("a", "b")).UpAsync());

        Assert.Contains("V0003", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_below_the_highest_applied_that_was_never_applied_is_refused_as_out_of_order()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_order");
        await db.Pipeline(MigrationSet.FromList([TestMigrations.Table(1, "a"), TestMigrations.Table(3, "c")])).UpAsync();

        var error = await Assert.ThrowsAsync<MigrationException>(() => db.Pipeline(TestMigrations.Tables("a", "b", "c")).UpAsync());

        Assert.Contains("V0002", error.Message, StringComparison.Ordinal);
        Assert.Contains("out of order", error.Message, StringComparison.Ordinal);
        Assert.False(await db.ScalarAsync<bool>("select to_regclass('b') is not null"));
    }

    [Fact]
    public async Task A_failing_migration_rolls_back_alone_and_leaves_the_previous_version()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_fail");
        var set = MigrationSet.FromList([
            TestMigrations.Table(1, "a"),
            new Migration(2, "broken", "create table b (id int); select 1 / 0;", "drop table b;"),
        ]);
        await db.Pipeline(set).UpAsync(1);

        var error = await Assert.ThrowsAsync<MigrationException>(() => db.Pipeline(set).UpAsync());

        Assert.Contains("V0002", error.Message, StringComparison.Ordinal);
        Assert.Equal([(1, TestMigrations.Table(1, "a").Checksum, true)], await db.HistoryAsync());
        Assert.False(await db.ScalarAsync<bool>("select to_regclass('b') is not null"));
        var log = await MigrationLog.ReadRecentAsync(db.DataSource, 1);
        Assert.StartsWith("up", Assert.Single(log).Operation, StringComparison.Ordinal);
        Assert.False(log[0].Success);
    }

    [Fact]
    public async Task A_no_transaction_migration_runs_statement_by_statement_and_records_the_failed_statement()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_notx");
        var concurrently = MigrationSet.FromList([
            TestMigrations.Table(1, "a"),
            new Migration(2, "index a", $"{Migration.NoTransactionMarker}\ncreate index concurrently a_id on a (id);\n", "drop index a_id;"),
        ]);
        await db.Pipeline(concurrently).UpAsync();
        Assert.True(await db.ScalarAsync<bool>("select to_regclass('a_id') is not null"));

        var failing = MigrationSet.FromList([
            .. concurrently.Migrations,
            new Migration(3, "half", $"{Migration.NoTransactionMarker}\ncreate table c (id int);\nselect 1 / 0;\ncreate table d (id int);", "drop table if exists d; drop table c;"),
        ]);
        var error = await Assert.ThrowsAsync<MigrationException>(() => db.Pipeline(failing).UpAsync());

        Assert.Contains("failed at statement 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("the statements before that one stay applied", error.Message, StringComparison.Ordinal);
        Assert.True(await db.ScalarAsync<bool>("select to_regclass('c') is not null"));
        Assert.Equal("select 1 / 0", await db.ScalarAsync<string>("select failed_statement from plant_migrations.history where version = 3"));
        // The failed row stops every later run until someone repairs the database.
        var refused = await Assert.ThrowsAsync<MigrationException>(() => db.Pipeline(failing).UpAsync());
        Assert.Contains("V0003", refused.Message, StringComparison.Ordinal);
        Assert.Contains("recorded as failed", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_history_with_the_wrong_columns_is_refused_instead_of_read_as_empty()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_malformed");
        await db.ExecuteAsync("create schema plant_migrations; create table plant_migrations.history (version text, note text);");

        var error = await Assert.ThrowsAsync<MigrationRefusedException>(() => db.Pipeline(TestMigrations.Tables("a")).UpAsync());

        Assert.Contains("cannot be read", error.Message, StringComparison.Ordinal);
        Assert.False(await db.ScalarAsync<bool>("select to_regclass('a') is not null"));
    }

    [Fact]
    public async Task A_schema_without_its_history_table_is_refused()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_nohistory");
        await db.ExecuteAsync("create schema plant_migrations;");

        var status = await db.Pipeline(TestMigrations.Tables("a")).StatusAsync();

        Assert.Contains("cannot be read", Assert.Single(status.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_history_the_role_may_not_read_is_refused()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_denied");
        await db.Pipeline(TestMigrations.Tables("a")).UpAsync();
        var role = "plant_reader_" + Guid.NewGuid().ToString("N")[..8];
        var database = new Npgsql.NpgsqlConnectionStringBuilder(db.ConnectionString).Database;
        await db.ExecuteAsync($"""
            create role {role} login;
            grant connect on database "{database}" to {role};
            grant usage on schema plant_migrations to {role};
            revoke all on plant_migrations.history from {role};
            """);
        try
        {
            var settings = new Npgsql.NpgsqlConnectionStringBuilder(db.ConnectionString) { Username = role, Pooling = false };
            await using var asRole = Npgsql.NpgsqlDataSource.Create(settings.ConnectionString);

            var error = await Assert.ThrowsAsync<MigrationRefusedException>(() => TestPipeline.Create(asRole, TestMigrations.Tables("a", "b")).UpAsync());

            Assert.Contains("cannot be read", error.Message, StringComparison.Ordinal);
            Assert.Contains("42501", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await db.ExecuteAsync($"revoke all on schema plant_migrations from {role}; revoke all on database \"{database}\" from {role};");
            await db.ExecuteAsync($"drop role {role}");
        }
    }

    [Fact]
    public async Task Down_refuses_a_target_that_is_not_applied_and_a_migration_without_a_down_script()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_down");
        // The pipeline applies only batches it could undo: V0002 lost its down script in a later build.
        await db.Pipeline(MigrationSet.FromList([TestMigrations.Table(1, "a"), new Migration(2, "no way back", "create table b (id int);", "drop table b;")])).UpAsync();
        var set = MigrationSet.FromList([TestMigrations.Table(1, "a"), new Migration(2, "no way back", "create table b (id int);", null)]);

        var noScript = await Assert.ThrowsAsync<MigrationRefusedException>(() => db.Pipeline(set).DownAsync(0));
        var above = await Assert.ThrowsAsync<MigrationRefusedException>(() => db.Pipeline(set).DownAsync(5));

        Assert.Contains("V0002 has no down script", noScript.Message, StringComparison.Ordinal);
        Assert.Contains("V0005", above.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await db.HistoryAsync()).Count);
    }

    [Fact]
    public async Task Ddl_waiting_for_a_table_lock_fails_after_lock_timeout_and_rolls_back()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_locktimeout");
        var set = MigrationSet.FromList([
            TestMigrations.Table(1, "a"),
            new Migration(2, "alter a", "create table b (id int); alter table a add column note text;", "alter table a drop column note; drop table b;"),
        ]);
        await db.Pipeline(set).UpAsync(1);
        await using var reader = await db.DataSource.OpenConnectionAsync();
        await using var transaction = await reader.BeginTransactionAsync();
        await using (var select = new Npgsql.NpgsqlCommand("select * from a", reader, transaction))
        {
            await select.ExecuteNonQueryAsync();
        }

        var options = new MigrationOptions { DdlLockTimeout = TimeSpan.FromMilliseconds(200) };
        var error = await Assert.ThrowsAsync<MigrationException>(() => db.Pipeline(set, options).UpAsync());

        Assert.Contains("55P03", error.Message, StringComparison.Ordinal);
        Assert.False(await db.ScalarAsync<bool>("select to_regclass('b') is not null"));
        Assert.Equal([1], (await db.HistoryAsync()).Select(h => h.Version));
    }

    [Fact]
    public async Task Every_operation_writes_one_log_line_in_the_documented_format()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_log");
        var pipeline = db.Pipeline(TestMigrations.Tables("a", "b", "c"), environment: PlantEnvironment.Demo);

        await pipeline.UpAsync(1);
        await pipeline.StatusAsync();
        await pipeline.PlanAsync();
        await pipeline.UpAsync();
        await pipeline.DownAsync(1);
        await Assert.ThrowsAsync<MigrationRefusedException>(() => pipeline.UpAsync(9));

        var lines = (await MigrationLog.ReadRecentAsync(db.DataSource, 10)).Reverse().Select(e => e.Render()).ToList();
        Assert.Equal(6, lines.Count);
        Assert.Matches(@"^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\] demo: up 0000 -> 0001 - SUCCESS$", lines[0]);
        Assert.EndsWith("] demo: status 0001 -> 0001 - SUCCESS", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("] demo: plan 0001 -> 0003 - SUCCESS", lines[2], StringComparison.Ordinal);
        Assert.EndsWith("] demo: up 0001 -> 0003 - SUCCESS", lines[3], StringComparison.Ordinal);
        Assert.EndsWith("] demo: down 0003 -> 0001 - SUCCESS", lines[4], StringComparison.Ordinal);
        Assert.Contains("] demo: up 0001 -> 0001 - FAILED: V0009 is not one of this build's migrations", lines[5], StringComparison.Ordinal);
    }

    [Fact]
    public void A_log_entry_renders_as_the_issue_shows()
    {
        var entry = new MigrationLogEntry(new DateTimeOffset(2026, 1, 14, 12, 30, 45, TimeSpan.Zero), PlantEnvironment.Demo, "up", 3, 5, true, 120, null);

        Assert.Equal("[2026-01-14T12:30:45Z] demo: up 0003 -> 0005 - SUCCESS", entry.Render());
    }
}

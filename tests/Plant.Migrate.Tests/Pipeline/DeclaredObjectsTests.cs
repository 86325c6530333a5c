using Plant.Core.Configuration;
using Plant.Core.Migrations;
using Plant.Core.Migrations.Runs;
using Plant.Core.Migrations.Smoke;
using Plant.Testing;

namespace Plant.Migrate.Tests.Pipeline;

/// <summary>The <c>-- expects:</c> lines a migration declares its objects with.</summary>
public sealed class DeclaredObjectsTests
{
    [Fact]
    public void Declarations_are_read_from_every_expects_line_of_the_script_and_its_manifest_without_repeats()
    {
        var migration = new Migration(4, "x", """
            -- expects: table app.a, index app.a_name
            create table app.a (name text);
              -- EXPECTS: column app.a.name, trigger app.a.a_audit
            -- expects: table app.a
            """, null, "-- expects: function app.touch, extension pg_trgm, schema app, view app.v, sequence app.s, type app.t");

        Assert.Equal(
            ["table app.a", "index app.a_name", "column app.a.name", "trigger app.a.a_audit", "function app.touch", "extension pg_trgm", "schema app", "view app.v", "sequence app.s", "type app.t"],
            migration.Expects.Select(e => e.ToString()));
    }

    [Theory]
    [InlineData("-- expects: table a", "schema.name")]
    [InlineData("-- expects: column app.a", "schema.table.name")]
    [InlineData("-- expects: tabel app.a", "kind one of")]
    [InlineData("-- expects: 3 app.a", "kind one of")]
    [InlineData("-- expects: table app.\"A\"", "schema.name")]
    public void A_malformed_declaration_is_refused_naming_the_migration(string line, string problem)
    {
        var error = Assert.Throws<MigrationException>(() => new Migration(7, "bad", line + "\nselect 1;", null));

        Assert.StartsWith("V0007 (bad): ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void V0001_declares_its_catalog_through_its_manifest_without_changing_its_checksum()
    {
        var v1 = MigrationSet.Embedded.Find(1)!;

        Assert.Contains(new SchemaObject(SchemaObjectKind.Table, "catalog.agent"), v1.Expects);
        Assert.Contains(new SchemaObject(SchemaObjectKind.Trigger, "catalog.entity_version.entity_version_append_only"), v1.Expects);
        Assert.Equal(v1.Checksum, Migration.ComputeChecksum(v1.UpSql));
        Assert.DoesNotContain(SchemaObject.DeclarationPrefix, v1.UpSql, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_kind_of_declared_object_is_found_and_each_missing_one_is_named()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_declared_kinds");
        var everything = new Migration(1, "every kind", """
            -- expects: schema app, extension pg_trgm, table app.a, column app.a.name, index app.a_name, view app.v
            -- expects: sequence app.s, type app.mood, function app.touch, trigger app.a.a_touch
            create extension if not exists pg_trgm;
            create schema app;
            create table app.a (name text);
            create index a_name on app.a (name);
            create view app.v as select name from app.a;
            create sequence app.s;
            create type app.mood as enum ('ok');
            create function app.touch() returns trigger language plpgsql as $$ begin return new; end $$;
            create trigger a_touch before insert on app.a for each row execute function app.touch();
            """, "drop schema app cascade;");
        var nothing = new Migration(2, "declares missing", """
            -- expects: schema nope, extension nope, table app.nope, column app.a.nope, index app.nope, view app.nope
            -- expects: sequence app.nope, type app.nope, function app.nope, trigger app.a.nope, table app.v, index app.a
            select 1;
            """, "select 1;");
        var pipeline = new MigrationPipeline(db.DataSource, MigrationSet.FromList([everything, nothing]), PlantSettings.Defaults(PlantEnvironment.Local), backup: null);
        var request = new MigrationRunRequest { Operation = MigrationOperation.Up, Trigger = MigrationTrigger.Cli, RequestedBy = "test" };

        var first = await pipeline.RunAsync(request with { Target = 1 });
        var second = await pipeline.RunAsync(request);

        Assert.Equal(MigrationRunOutcome.Succeeded, first.Outcome);
        Assert.Equal(new SmokeCheckResult("V0001 declared objects", SmokeCheckStatus.Passed, "all 10 declared objects exist"), first.SmokeChecks[0]);
        Assert.Equal(MigrationRunOutcome.Failed, second.Outcome);
        Assert.Equal(
            "missing 12 of 12: schema nope, extension nope, table app.nope, column app.a.nope, index app.nope, view app.nope, "
            + "sequence app.nope, type app.nope, function app.nope, trigger app.a.nope, table app.v, index app.a",
            second.SmokeChecks[0].Detail);
        Assert.Equal([1], await db.VersionsAsync());
    }

    [Fact]
    public void The_plan_checksum_is_the_sha256_of_version_colon_checksum_lines()
    {
        var a = new Migration(3, "a", "select 3;", null);
        var b = new Migration(4, "b", "select 4;", null);
        var text = $"3:{a.Checksum}\n4:{b.Checksum}\n";

        Assert.Equal(Migration.ComputeChecksum(text), MigrationPlan.ComputeChecksum([b, a]));
        Assert.NotEqual(MigrationPlan.ComputeChecksum([a, b]), MigrationPlan.ComputeChecksum([b]));
    }
}

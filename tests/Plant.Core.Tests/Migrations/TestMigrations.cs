using Plant.Core.Migrations;

namespace Plant.Core.Tests.Migrations;

/// <summary>Small migration sets the tests pass to the engine instead of Plant.Core's own.</summary>
internal static class TestMigrations
{
    public static Migration Table(int version, string name) => new(
        version,
        $"create {name}",
        $"create table {name} (id int primary key);",
        $"drop table {name};");

    public static MigrationSet Tables(params string[] names) =>
        MigrationSet.FromList(names.Select((name, i) => Table(i + 1, name)));
}

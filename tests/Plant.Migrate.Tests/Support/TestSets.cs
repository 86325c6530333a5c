using Plant.Core.Migrations;

namespace Plant.Migrate.Tests.Support;

/// <summary>Small migration sets the tests give the Migrate app instead of Plant.Core's own.</summary>
internal static class TestSets
{
    /// <summary>The advisory lock key a <see cref="Blocking"/> migration waits on.</summary>
    public const long GateKey = 4242;

    /// <summary>V1..Vn, each creating table public.t{n} and declaring it.</summary>
    public static MigrationSet Tables(int count) => MigrationSet.FromList(Enumerable.Range(1, count).Select(Table));

    public static Migration Table(int version) => new(
        version,
        $"table t{version}",
        $"-- expects: table public.t{version}\ncreate table public.t{version} (id int primary key);\n",
        $"drop table public.t{version};");

    /// <summary>V1 and V2 as in <see cref="Tables"/>; V3's second statement fails (42P01).</summary>
    public static MigrationSet FailingAtV3() => MigrationSet.FromList(
    [
        Table(1),
        Table(2),
        new Migration(3, "broken", "create table public.t3 (id int);\ninsert into public.nope values (1);\n", "drop table public.t3;"),
    ]);

    /// <summary>V1 as in <see cref="Tables"/>; V2 creates t2 but declares a table it never creates.</summary>
    public static MigrationSet FailingSmokeCheck() => MigrationSet.FromList(
    [
        Table(1),
        new Migration(2, "wrong declaration", "-- expects: table public.t2, table public.never_created\ncreate table public.t2 (id int);\n", "drop table public.t2;"),
    ]);

    /// <summary>V1 waits for the advisory lock <see cref="GateKey"/>, which a test holds to keep the run busy.</summary>
    public static MigrationSet Blocking() => MigrationSet.FromList(
    [
        new Migration(1, "gated", $"select pg_advisory_xact_lock({GateKey});\n-- expects: table public.t1\ncreate table public.t1 (id int);\n", "drop table public.t1;"),
    ]);

    /// <summary>V1, V2 whose down script fails, and a failing V3: undoing the batch stops at V2.</summary>
    public static MigrationSet UndoFailsAtV2() => MigrationSet.FromList(
    [
        Table(1),
        new Migration(2, "bad down", "create table public.t2 (id int);", "drop table public.not_there;"),
        new Migration(3, "broken", "insert into public.nope values (1);", "select 1;"),
    ]);

    /// <summary>V1 whose down script fails, and V2: a rollback to 0 fails at V1 and re-applies V2.</summary>
    public static MigrationSet DownFailsAtV1() => MigrationSet.FromList(
    [
        new Migration(1, "bad down", "-- expects: table public.t1\ncreate table public.t1 (id int);", "drop table public.not_there;"),
        Table(2),
    ]);
}

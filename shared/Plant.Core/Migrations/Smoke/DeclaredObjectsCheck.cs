using Npgsql;

namespace Plant.Core.Migrations.Smoke;

/// <summary>Checks that the schema objects a migration declares (<c>-- expects:</c>) exist.</summary>
internal static class DeclaredObjectsCheck
{
    public static async Task<SmokeCheckResult> RunAsync(NpgsqlConnection connection, Migration migration, CancellationToken ct)
    {
        var name = $"V{migration.Label} declared objects";
        if (migration.Expects.Count == 0)
        {
            return new SmokeCheckResult(name, SmokeCheckStatus.Skipped, "the migration declares no objects");
        }

        var missing = new List<string>();
        foreach (var expected in migration.Expects)
        {
            if (!await ExistsAsync(connection, expected, ct))
            {
                missing.Add(expected.ToString());
            }
        }

        return missing.Count == 0
            ? new SmokeCheckResult(name, SmokeCheckStatus.Passed, $"all {migration.Expects.Count} declared objects exist")
            : new SmokeCheckResult(name, SmokeCheckStatus.Failed, $"missing {missing.Count} of {migration.Expects.Count}: {string.Join(", ", missing)}");
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, SchemaObject expected, CancellationToken ct)
    {
        var parts = expected.Parts;
        var sql = expected.Kind switch
        {
            SchemaObjectKind.Schema => "select exists (select 1 from pg_namespace where nspname = @a)",
            SchemaObjectKind.Extension => "select exists (select 1 from pg_extension where extname = @a)",
            SchemaObjectKind.Table => Relation("'r', 'p'"),
            SchemaObjectKind.View => Relation("'v', 'm'"),
            SchemaObjectKind.Index => Relation("'i', 'I'"),
            SchemaObjectKind.Sequence => Relation("'S'"),
            SchemaObjectKind.Function => """
                select exists (select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = @a and p.proname = @b)
                """,
            SchemaObjectKind.Type => """
                select exists (select 1 from pg_type t join pg_namespace n on n.oid = t.typnamespace where n.nspname = @a and t.typname = @b)
                """,
            SchemaObjectKind.Column => """
                select exists (
                    select 1 from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
                    where n.nspname = @a and c.relname = @b and a.attname = @c and a.attnum > 0 and not a.attisdropped)
                """,
            _ => """
                select exists (
                    select 1 from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
                    where n.nspname = @a and c.relname = @b and t.tgname = @c and not t.tgisinternal)
                """,
        };
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("a", parts[0]);
        command.Parameters.AddWithValue("b", parts.Count > 1 ? parts[1] : "");
        command.Parameters.AddWithValue("c", parts.Count > 2 ? parts[2] : "");
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    private static string Relation(string kinds) => $"""
        select exists (
            select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = @a and c.relname = @b and c.relkind in ({kinds}))
        """;
}

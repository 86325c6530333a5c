using Dapper;
using Npgsql;
using Plant.Core.Data;

namespace Plant.Core.Migrations.Smoke;

/// <summary>Checks that the schema objects a migration declares (<c>-- expects:</c>) exist, in one query.</summary>
internal static class DeclaredObjectsCheck
{
    // One row per declared object (kind and up to three name parts); the query returns the positions of those
    // that do not exist. The catalogs are searched by name as PostgreSQL stores it.
    private const string Sql = """
        select d.position
        from unnest(@kinds, @a, @b, @c) with ordinality as d(kind, a, b, c, position)
        where not case d.kind
            when 'schema' then exists (select 1 from pg_namespace where nspname = d.a)
            when 'extension' then exists (select 1 from pg_extension where extname = d.a)
            when 'function' then exists (
                select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = d.a and p.proname = d.b)
            when 'type' then exists (
                select 1 from pg_type t join pg_namespace n on n.oid = t.typnamespace where n.nspname = d.a and t.typname = d.b)
            when 'column' then exists (
                select 1 from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = d.a and c.relname = d.b and a.attname = d.c and a.attnum > 0 and not a.attisdropped)
            when 'trigger' then exists (
                select 1 from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = d.a and c.relname = d.b and t.tgname = d.c and not t.tgisinternal)
            else exists (
                select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = d.a and c.relname = d.b and c.relkind = any (case d.kind
                    when 'table' then array['r', 'p']
                    when 'view' then array['v', 'm']
                    when 'index' then array['i', 'I']
                    else array['S'] end::"char"[]))
        end
        order by d.position
        """;

    public static async Task<SmokeCheckResult> RunAsync(NpgsqlConnection connection, Migration migration, CancellationToken ct)
    {
        var name = $"V{migration.Label} declared objects";
        var expects = migration.Expects;
        if (expects.Count == 0)
        {
            return new SmokeCheckResult(name, SmokeCheckStatus.Skipped, "the migration declares no objects");
        }

        var args = new
        {
            kinds = PgArray.Of(expects.Select(e => e.Kind.ToString().ToLowerInvariant())),
            a = PgArray.Of(expects.Select(e => e.Parts[0])),
            b = PgArray.Of(expects.Select(e => e.Parts.Count > 1 ? e.Parts[1] : "")),
            c = PgArray.Of(expects.Select(e => e.Parts.Count > 2 ? e.Parts[2] : "")),
            ct,
        };
        var positions = await connection.QueryAsync<long>(Sql, args, commandTimeout: SmokeChecks.TimeoutSeconds);
        var missing = positions.Select(p => expects[(int)p - 1].ToString()).ToList();
        return missing.Count == 0
            ? new SmokeCheckResult(name, SmokeCheckStatus.Passed, $"all {expects.Count} declared objects exist")
            : new SmokeCheckResult(name, SmokeCheckStatus.Failed, $"missing {missing.Count} of {expects.Count}: {string.Join(", ", missing)}");
    }
}

using System.Text.RegularExpressions;
using Dapper;
using Npgsql;
using Plant.Core.Data;

namespace Plant.Core.Migrations.Runs;

/// <summary>A table a plan drops, and the rows it held when the plan was made.</summary>
/// <param name="Table">schema.table.</param>
/// <param name="Rows">The exact row count (<c>count(*)</c>).</param>
public sealed record DroppedTable(string Table, long Rows);

/// <summary>
/// The tables a plan's scripts drop, found from their <c>DROP TABLE</c> and <c>DROP SCHEMA</c> statements (a schema
/// takes every table in it), and counted: what an operator must see before approving a rollback.
/// </summary>
internal static partial class DroppedTables
{
    /// <summary>The names a script's <c>DROP TABLE</c> and <c>DROP SCHEMA</c> statements give, as written.</summary>
    public static (IReadOnlyList<string> Tables, IReadOnlyList<string> Schemas) Named(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var (tables, schemas) = (new List<string>(), new List<string>());
        foreach (var statement in SqlStatements.Split(sql))
        {
            var match = DropStatement().Match(LineComment().Replace(statement, "").Trim());
            if (match.Success)
            {
                var names = match.Groups["names"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                (match.Groups["kind"].Value.Equals("table", StringComparison.OrdinalIgnoreCase) ? tables : schemas).AddRange(names);
            }
        }

        return (tables, schemas);
    }

    /// <summary>Every table that exists now and that the plan's scripts drop, by name, with its rows now; empty for a plan that drops none.</summary>
    public static async Task<IReadOnlyList<DroppedTable>> CountAsync(NpgsqlConnection connection, MigrationPlan plan, CancellationToken ct)
    {
        var named = plan.Scripts.Select(Named).ToList();
        var tables = named.SelectMany(n => n.Tables).ToArray();
        var schemas = named.SelectMany(n => n.Schemas).ToArray();
        if (tables.Length == 0 && schemas.Length == 0)
        {
            return [];
        }

        // The server resolves the names as the scripts will (quoting, case, search_path); a partition is counted with its parent.
        const string Sql = """
            select n.nspname, c.relname
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where c.relkind in ('r', 'p') and not c.relispartition
              and (c.oid in (select to_regclass(t) from unnest(@tables::text[]) t)
                   or n.oid in (select to_regnamespace(s) from unnest(@schemas::text[]) s))
            order by n.nspname, c.relname
            """;
        var found = (await connection.QueryAsync<Relation>(Sql, new { tables = PgArray.Of(tables), schemas = PgArray.Of(schemas), ct })).ToList();
        var counted = new List<DroppedTable>(found.Count);
        foreach (var (schema, table) in found)
        {
            // Names from pg_class, quoted: an identifier cannot be a parameter.
            var quoted = $"{Quote(schema)}.{Quote(table)}";
            // Built at run time, so Dapper.AOT cannot generate this call (and miscompiles one that carries a token): Npgsql reads it.
            await using var count = new NpgsqlCommand($"select count(*) from {quoted}", connection);
            counted.Add(new DroppedTable($"{schema}.{table}", (long)(await count.ExecuteScalarAsync(ct))!));
        }

        return counted;
    }

    /// <summary>What the rows of the tables dropped come to, for messages: <c>catalog.entity (120 rows), catalog.skill (12 rows)</c>.</summary>
    public static string Describe(IEnumerable<DroppedTable> tables) =>
        string.Join(", ", tables.Select(t => $"{t.Table} ({t.Rows} row{(t.Rows == 1 ? "" : "s")})"));

    /// <summary>A table as pg_class names it.</summary>
    internal sealed record Relation(string Nspname, string Relname);

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex(@"^drop\s+(?<kind>table|schema)\s+(?:if\s+exists\s+)?(?<names>.+?)(?:\s+(?:cascade|restrict))?$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex DropStatement();

    [GeneratedRegex(@"--[^\n]*")]
    private static partial Regex LineComment();
}

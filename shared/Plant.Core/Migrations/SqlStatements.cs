using System.Text;

namespace Plant.Core.Migrations;

/// <summary>
/// Splits a script into statements at top-level semicolons, for scripts that run outside a transaction (each
/// statement is then its own implicit transaction, as CREATE INDEX CONCURRENTLY requires). Knows quoted
/// strings, quoted identifiers, dollar quoting and both comment forms; nothing else of SQL.
/// </summary>
internal static class SqlStatements
{
    public static IReadOnlyList<string> Split(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var statements = new List<string>();
        var current = new StringBuilder();
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            var next = i + 1 < sql.Length ? sql[i + 1] : '\0';
            int end;
            if (c == '-' && next == '-')
            {
                end = sql.IndexOf('\n', i);
                end = end < 0 ? sql.Length : end;
            }
            else if (c == '/' && next == '*')
            {
                end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? sql.Length : end + 2;
            }
            else if (c is '\'' or '"')
            {
                end = QuotedEnd(sql, i, c);
            }
            else if (c == '$' && DollarTag(sql, i) is { } tag)
            {
                end = sql.IndexOf(tag, i + tag.Length, StringComparison.Ordinal);
                end = end < 0 ? sql.Length : end + tag.Length;
            }
            else if (c == ';')
            {
                Add(statements, current);
                i++;
                continue;
            }
            else
            {
                end = i + 1;
            }

            current.Append(sql, i, end - i);
            i = end;
        }

        Add(statements, current);
        return statements;
    }

    /// <summary>A statement on one line, cut at <paramref name="length"/> characters, for messages.</summary>
    public static string OneLine(string statement, int length = 300)
    {
        var oneLine = string.Join(' ', statement.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return oneLine.Length <= length ? oneLine : oneLine[..length] + "...";
    }

    private static int QuotedEnd(string sql, int start, char quote)
    {
        var i = start + 1;
        while (i < sql.Length)
        {
            if (sql[i] == quote)
            {
                // A doubled quote is an escaped quote inside the literal.
                if (i + 1 < sql.Length && sql[i + 1] == quote)
                {
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            i++;
        }

        return sql.Length;
    }

    /// <summary>The dollar-quote opener at <paramref name="start"/> (<c>$$</c> or <c>$tag$</c>), or null.</summary>
    private static string? DollarTag(string sql, int start)
    {
        // $1 is a parameter and a$b an identifier: a tag starts with a letter or underscore, and never mid-word.
        if (start > 0 && (char.IsLetterOrDigit(sql[start - 1]) || sql[start - 1] == '_'))
        {
            return null;
        }

        var i = start + 1;
        while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] == '_'))
        {
            if (i == start + 1 && char.IsDigit(sql[i]))
            {
                return null;
            }

            i++;
        }

        return i < sql.Length && sql[i] == '$' ? sql[start..(i + 1)] : null;
    }

    private static void Add(List<string> statements, StringBuilder current)
    {
        var text = current.ToString().Trim();
        current.Clear();
        if (!IsOnlyComments(text))
        {
            statements.Add(text);
        }
    }

    private static bool IsOnlyComments(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.Length > 0 && !trimmed.StartsWith("--", StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}

using System.Text.RegularExpressions;

namespace Plant.Core.Migrations;

/// <summary>The kinds of schema object a migration can declare in an <c>-- expects:</c> line.</summary>
public enum SchemaObjectKind
{
    Schema,
    Extension,
    Table,
    View,
    Index,
    Sequence,
    Function,
    Type,
    Column,
    Trigger,
}

/// <summary>
/// A schema object a migration declares it creates, checked by the smoke checks after the migration runs. Written
/// <c>kind name</c> in a comment line of the up script, <c>-- expects: table catalog.entity, index catalog.x</c>:
/// schemas and extensions by their name, tables, views, indexes, sequences, functions and types as
/// <c>schema.name</c>, columns and triggers as <c>schema.table.name</c>, all as PostgreSQL stores them (lowercase
/// unless they were created quoted).
/// </summary>
public sealed partial record SchemaObject(SchemaObjectKind Kind, string Name)
{
    /// <summary>The line prefix that declares objects.</summary>
    public const string DeclarationPrefix = "-- expects:";

    /// <summary>The name's dot-separated parts.</summary>
    public IReadOnlyList<string> Parts => Name.Split('.');

    /// <summary>Every object declared by the <c>-- expects:</c> lines of a script or manifest, in order, without repeats.</summary>
    /// <exception cref="MigrationException">A declaration is malformed; the message quotes it.</exception>
    public static IReadOnlyList<SchemaObject> ParseDeclarations(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var objects = new List<SchemaObject>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (!line.StartsWith(DeclarationPrefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var item in line[DeclarationPrefix.Length..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var parsed = Parse(item);
                if (!objects.Contains(parsed))
                {
                    objects.Add(parsed);
                }
            }
        }

        return objects;
    }

    /// <summary>Parses one <c>kind name</c>.</summary>
    /// <exception cref="MigrationException">Unknown kind, or a name with the wrong number of parts.</exception>
    public static SchemaObject Parse(string declaration)
    {
        ArgumentNullException.ThrowIfNull(declaration);
        var words = declaration.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length != 2 || !Enum.TryParse<SchemaObjectKind>(words[0], ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || char.IsDigit(words[0][0]))
        {
            throw new MigrationException($"'{declaration}' in an {DeclarationPrefix} line is not 'kind name' with kind one of {string.Join(", ", Enum.GetNames<SchemaObjectKind>().Select(n => n.ToLowerInvariant()))}.");
        }

        var name = words[1];
        var parts = kind switch
        {
            SchemaObjectKind.Schema or SchemaObjectKind.Extension => 1,
            SchemaObjectKind.Column or SchemaObjectKind.Trigger => 3,
            _ => 2,
        };
        var split = name.Split('.');
        if (split.Length != parts || !split.All(p => Identifier().IsMatch(p)))
        {
            var shape = parts switch { 1 => "name", 2 => "schema.name", _ => "schema.table.name" };
            throw new MigrationException($"'{declaration}' in an {DeclarationPrefix} line: a {words[0].ToLowerInvariant()} is written {shape}.");
        }

        return new SchemaObject(kind, name);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()} {Name}";

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_$]*$")]
    private static partial Regex Identifier();
}

using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Plant.Core.Migrations;

/// <summary>
/// An ordered set of migrations: the ones embedded in Plant.Core (<see cref="Embedded"/>), those of another
/// assembly and resource prefix, or an explicit list (tests pass their own).
/// </summary>
public sealed partial class MigrationSet
{
    /// <summary>The resource prefix of Plant.Core's own scripts (<c>Migrations/Sql/*.sql</c>).</summary>
    public const string EmbeddedPrefix = "Plant.Core.Migrations.Sql.";

    private static readonly Lazy<MigrationSet> s_embedded =
        new(() => FromAssembly(typeof(MigrationSet).Assembly, EmbeddedPrefix));

    private MigrationSet(IReadOnlyList<Migration> migrations) => Migrations = migrations;

    /// <summary>Plant.Core's migrations.</summary>
    public static MigrationSet Embedded => s_embedded.Value;

    /// <summary>The migrations in ascending version order.</summary>
    public IReadOnlyList<Migration> Migrations { get; }

    /// <summary>The highest version, 0 when the set is empty.</summary>
    public int Latest => Migrations.Count == 0 ? 0 : Migrations[^1].Version;

    /// <summary>The migration with this version, or null.</summary>
    public Migration? Find(int version) => Migrations.FirstOrDefault(m => m.Version == version);

    /// <summary>A set from a list; versions must be distinct.</summary>
    /// <exception cref="MigrationException">Two migrations share a version.</exception>
    public static MigrationSet FromList(IEnumerable<Migration> migrations)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        var sorted = migrations.OrderBy(m => m.Version).ToList();
        var duplicate = sorted.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null
            ? new MigrationSet(sorted)
            : throw new MigrationException($"Migration V{Migration.FormatVersion(duplicate.Key)} is defined more than once.");
    }

    /// <summary>
    /// Reads the resources named <c>{prefix}V0001__name.sql</c> (up), <c>{prefix}V0001__name.down.sql</c>
    /// (down) and <c>{prefix}V0001__name.expects</c> (more <c>-- expects:</c> lines, optional) of an assembly.
    /// </summary>
    /// <exception cref="MigrationException">A resource under the prefix is misnamed, or a down script has no up script.</exception>
    public static MigrationSet FromAssembly(Assembly assembly, string prefix)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(prefix);
        var ups = new Dictionary<int, (string Name, string Sql)>();
        var downs = new Dictionary<int, (string Name, string Sql)>();
        var manifests = new Dictionary<int, (string Name, string Sql)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var fileName = resource[prefix.Length..];
            var match = FileName().Match(fileName);
            if (!match.Success)
            {
                throw new MigrationException($"The migration resource '{fileName}' is not named V0001__name.sql, V0001__name.down.sql or V0001__name.expects.");
            }

            var version = int.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var (target, kind) = match.Groups["kind"].Value switch
            {
                ".down.sql" => (downs, "down script"),
                ".expects" => (manifests, "expects manifest"),
                _ => (ups, "up script"),
            };
            if (!target.TryAdd(version, (match.Groups["name"].Value, ReadResource(assembly, resource))))
            {
                throw new MigrationException($"Migration V{Migration.FormatVersion(version)} has more than one {kind}.");
            }
        }

        foreach (var (version, down) in downs)
        {
            if (!ups.TryGetValue(version, out var up) || up.Name != down.Name)
            {
                throw new MigrationException($"The down script V{Migration.FormatVersion(version)}__{down.Name}.down.sql has no matching up script.");
            }
        }

        foreach (var (version, manifest) in manifests)
        {
            if (!ups.TryGetValue(version, out var up) || up.Name != manifest.Name)
            {
                throw new MigrationException($"The manifest V{Migration.FormatVersion(version)}__{manifest.Name}.expects has no matching up script.");
            }
        }

        return FromList(ups.Select(u => new Migration(
            u.Key,
            u.Value.Name.Replace('_', ' '),
            u.Value.Sql,
            downs.TryGetValue(u.Key, out var d) ? d.Sql : null,
            manifests.TryGetValue(u.Key, out var m) ? m.Sql : null)));
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new MigrationException($"The migration resource '{name}' cannot be read.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^V(?<version>\d{4,9})__(?<name>[a-z0-9_]+?)(?<kind>\.down\.sql|\.sql|\.expects)$")]
    private static partial Regex FileName();
}

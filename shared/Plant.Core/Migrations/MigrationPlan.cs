using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Plant.Core.Migrations;

/// <summary>
/// The migrations an up run would apply, from the database's version to a target, and the checksum that an
/// approval names (<see cref="ComputeChecksum"/>).
/// </summary>
/// <param name="FromVersion">The database's version.</param>
/// <param name="TargetVersion">The version the plan ends at.</param>
/// <param name="Migrations">The pending migrations up to the target, in ascending order.</param>
public sealed record MigrationPlan(int FromVersion, int TargetVersion, IReadOnlyList<Migration> Migrations)
{
    /// <summary>The plan's checksum; see <see cref="ComputeChecksum"/>.</summary>
    public string Checksum { get; } = ComputeChecksum(Migrations);

    /// <summary>True when nothing is pending up to the target.</summary>
    public bool IsEmpty => Migrations.Count == 0;

    /// <summary>
    /// Lowercase hex SHA-256 of the UTF-8 text made of one line per migration, in ascending version order: the
    /// version as a decimal number, a colon, the migration's checksum, a line feed. For V0003 and V0004:
    /// <c>printf '3:%s\n4:%s\n' "$sum3" "$sum4" | sha256sum</c>. It changes when any script of the plan changes,
    /// when a migration joins or leaves it, and when the database's version moves.
    /// </summary>
    public static string ComputeChecksum(IEnumerable<Migration> migrations)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        var text = new StringBuilder();
        foreach (var migration in migrations.OrderBy(m => m.Version))
        {
            text.Append(migration.Version.ToString(CultureInfo.InvariantCulture)).Append(':').Append(migration.Checksum).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>True when <paramref name="text"/> has the shape of a checksum: 64 lowercase hex characters.</summary>
    public static bool IsChecksum(string? text) =>
        text is { Length: 64 } && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}

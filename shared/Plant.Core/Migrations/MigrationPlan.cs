using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Plant.Core.Migrations.Runs;

namespace Plant.Core.Migrations;

/// <summary>
/// What a run would do from the database's version to a target, and the checksum that an approval names: an up plan
/// applies the pending migrations up to the target, in ascending order; a down plan (a target below the database's
/// version) undoes the applied migrations above it with their down scripts, newest first.
/// </summary>
/// <param name="FromVersion">The database's version.</param>
/// <param name="TargetVersion">The version the plan ends at.</param>
/// <param name="Migrations">The migrations whose up scripts (up) or down scripts (down) the plan runs, in the order it runs them.</param>
public sealed record MigrationPlan(int FromVersion, int TargetVersion, IReadOnlyList<Migration> Migrations)
{
    /// <summary>The plan's checksum; see <see cref="ComputeChecksum"/> and <see cref="ComputeDownChecksum"/>.</summary>
    public string Checksum { get; } = TargetVersion < FromVersion ? ComputeDownChecksum(Migrations) : ComputeChecksum(Migrations);

    /// <summary>Down when the target is below the database's version.</summary>
    public MigrationOperation Operation => TargetVersion < FromVersion ? MigrationOperation.Down : MigrationOperation.Up;

    /// <summary>True when nothing is pending up to the target.</summary>
    public bool IsEmpty => Migrations.Count == 0;

    /// <summary>The scripts the plan runs, in its order: the up scripts, or the down scripts.</summary>
    public IEnumerable<string> Scripts => Migrations.Select(m => Operation == MigrationOperation.Up ? m.UpSql : m.DownSql ?? "");

    /// <summary>
    /// Lowercase hex SHA-256 of the UTF-8 text made of one line per migration, in ascending version order: the
    /// version as a decimal number, a colon, the migration's checksum, a line feed. For V0003 and V0004:
    /// <c>printf '3:%s\n4:%s\n' "$sum3" "$sum4" | sha256sum</c>. It changes when any script of the plan changes,
    /// when a migration joins or leaves it, and when the database's version moves.
    /// </summary>
    public static string ComputeChecksum(IEnumerable<Migration> migrations)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        return Hash(null, migrations.OrderBy(m => m.Version).Select(m => (m.Version, m.Checksum)));
    }

    /// <summary>
    /// A down plan's checksum: as <see cref="ComputeChecksum"/>, but the text starts with a line <c>down</c> and
    /// lists the migrations newest first with their down scripts' checksums. Rolling V0004 and V0003 back:
    /// <c>printf 'down\n4:%s\n3:%s\n' "$down4" "$down3" | sha256sum</c>. No up plan has the same checksum.
    /// </summary>
    public static string ComputeDownChecksum(IEnumerable<Migration> migrations)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        return Hash("down", migrations.OrderByDescending(m => m.Version).Select(m => (m.Version, m.DownChecksum ?? "")));
    }

    /// <summary>True when <paramref name="text"/> has the shape of a checksum: 64 lowercase hex characters.</summary>
    public static bool IsChecksum(string? text) =>
        text is { Length: 64 } && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    private static string Hash(string? header, IEnumerable<(int Version, string Checksum)> lines)
    {
        var text = new StringBuilder();
        if (header is not null)
        {
            text.Append(header).Append('\n');
        }

        foreach (var (version, checksum) in lines)
        {
            text.Append(version.ToString(CultureInfo.InvariantCulture)).Append(':').Append(checksum).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}

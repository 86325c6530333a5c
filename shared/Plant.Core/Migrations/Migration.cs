using System.Security.Cryptography;
using System.Text;

namespace Plant.Core.Migrations;

/// <summary>
/// One versioned migration: its up script, its down script (null when it has none) and the SHA-256 checksum of
/// the up script that the history table records.
/// </summary>
public sealed record Migration
{
    /// <summary>First-line marker comment that runs a script outside a transaction, statement by statement.</summary>
    public const string NoTransactionMarker = "-- plant:no-transaction";

    /// <param name="version">The version number, 1 and up.</param>
    /// <param name="description">Words from the file name.</param>
    /// <param name="upSql">The up script.</param>
    /// <param name="downSql">The down script, or null.</param>
    /// <param name="manifest">
    /// More <c>-- expects:</c> lines kept beside the script (<c>V0001__name.expects</c>): for migrations applied before
    /// smoke checks existed, whose scripts cannot gain the lines without changing their checksum.
    /// </param>
    /// <exception cref="MigrationException">An <c>-- expects:</c> line is malformed.</exception>
    public Migration(int version, string description, string upSql, string? downSql, string? manifest = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        ArgumentNullException.ThrowIfNull(upSql);
        Version = version;
        Description = description;
        UpSql = upSql;
        DownSql = downSql;
        Checksum = ComputeChecksum(upSql);
        DownChecksum = downSql is null ? null : ComputeChecksum(downSql);
        try
        {
            Expects = [.. SchemaObject.ParseDeclarations(upSql).Concat(SchemaObject.ParseDeclarations(manifest ?? "")).Distinct()];
        }
        catch (MigrationException e)
        {
            throw new MigrationException($"V{Label} ({description}): {e.Message}", e);
        }
    }

    /// <summary>The version number, 1 and up.</summary>
    public int Version { get; }

    /// <summary>Words from the file name (<c>V0001__catalog_base</c> gives "catalog base").</summary>
    public string Description { get; }

    public string UpSql { get; }

    public string? DownSql { get; }

    /// <summary>Lowercase hex SHA-256 of the up script with line endings normalised to LF.</summary>
    public string Checksum { get; }

    /// <summary>The down script's checksum, computed as <see cref="Checksum"/> is; null without a down script. A down plan's checksum is made of these.</summary>
    public string? DownChecksum { get; }

    /// <summary>The schema objects the migration declares it creates (<c>-- expects:</c> lines), which the smoke checks look for.</summary>
    public IReadOnlyList<SchemaObject> Expects { get; }

    /// <summary>The version as the log and the messages write it: <c>0003</c>.</summary>
    public string Label => FormatVersion(Version);

    /// <summary>False when the up script's first line is <see cref="NoTransactionMarker"/>.</summary>
    public bool UpInTransaction => !HasNoTransactionMarker(UpSql);

    /// <summary>False when the down script's first line is <see cref="NoTransactionMarker"/>.</summary>
    public bool DownInTransaction => DownSql is null || !HasNoTransactionMarker(DownSql);

    /// <summary>Formats a version with at least four digits.</summary>
    public static string FormatVersion(int version) => version.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Versions as messages list them: <c>V0003, V0004</c>, or <c>none</c>.</summary>
    public static string FormatVersions(IEnumerable<int> versions)
    {
        var list = (versions ?? []).Select(v => "V" + FormatVersion(v)).ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }

    /// <summary>The checksum the history table records for a script.</summary>
    public static string ComputeChecksum(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        // A checkout with CRLF line endings must not look like an edited migration.
        var normalised = sql.Replace("\r\n", "\n", StringComparison.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));
    }

    private static bool HasNoTransactionMarker(string sql)
    {
        var text = sql.TrimStart('\uFEFF');
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        var firstLine = (end < 0 ? text : text[..end]).Trim();
        return string.Equals(firstLine, NoTransactionMarker, StringComparison.OrdinalIgnoreCase);
    }
}

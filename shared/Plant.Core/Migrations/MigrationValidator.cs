namespace Plant.Core.Migrations;

/// <summary>
/// Compares the history with the migrations of this build and lists every reason to refuse to run: a failed
/// migration, an applied version this build does not have, an applied migration whose script changed, and a
/// version lower than the highest applied one that was never applied.
/// </summary>
internal static class MigrationValidator
{
    public static IReadOnlyList<string> FindProblems(MigrationSet migrations, IReadOnlyList<AppliedMigration> applied)
    {
        var problems = new List<string>();
        foreach (var row in applied.Where(r => !r.Success))
        {
            var at = row.FailedStatement is null ? "" : $" at statement: {SqlStatements.OneLine(row.FailedStatement, 200)}";
            problems.Add($"V{Migration.FormatVersion(row.Version)} ({row.Description}) is recorded as failed{at} ({row.Error}); repair the database by hand, then delete its history row.");
        }

        foreach (var row in applied)
        {
            var embedded = migrations.Find(row.Version);
            if (embedded is null)
            {
                problems.Add($"V{Migration.FormatVersion(row.Version)} ({row.Description}) is applied but missing from this build's migrations.");
            }
            else if (!string.Equals(embedded.Checksum, row.Checksum, StringComparison.Ordinal))
            {
                problems.Add($"V{embedded.Label} ({embedded.Description}) was changed after it was applied: checksum applied {row.Checksum}, now {embedded.Checksum}. Write a new migration instead of editing an applied one.");
            }
        }

        var highest = applied.Count == 0 ? 0 : applied.Max(r => r.Version);
        var appliedVersions = applied.Select(r => r.Version).ToHashSet();
        foreach (var migration in migrations.Migrations.Where(m => m.Version < highest && !appliedVersions.Contains(m.Version)))
        {
            problems.Add($"V{migration.Label} ({migration.Description}) is not applied but the later V{Migration.FormatVersion(highest)} is: out of order.");
        }

        return problems;
    }
}

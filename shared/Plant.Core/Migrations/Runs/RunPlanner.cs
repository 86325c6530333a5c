using Plant.Core.Configuration;

namespace Plant.Core.Migrations.Runs;

/// <summary>Plans and targets from the history; the refusals here are the request's fault and are not recorded.</summary>
internal static class RunPlanner
{
    /// <summary>The highest version applied successfully; 0 for an empty database.</summary>
    public static int CurrentVersion(IReadOnlyList<AppliedMigration> applied) =>
        applied.Where(a => a.Success).Select(a => a.Version).DefaultIfEmpty(0).Max();

    /// <exception cref="MigrationRefusedException">The version is not 0 and not one of the set's.</exception>
    public static void CheckKnown(MigrationSet migrations, int version)
    {
        if (version < 0 || version != 0 && migrations.Find(version) is null)
        {
            throw new MigrationRefusedException(MigrationRefusal.UnknownVersion,
                $"V{Migration.FormatVersion(Math.Max(version, 0))} is not one of this build's migrations (the latest is V{Migration.FormatVersion(migrations.Latest)}).");
        }
    }

    /// <summary>The pending migrations up to <paramref name="target"/>.</summary>
    /// <exception cref="MigrationRefusedException">The target is unknown or below the database's version.</exception>
    public static MigrationPlan Up(MigrationSet migrations, IReadOnlyList<AppliedMigration> applied, int target)
    {
        CheckKnown(migrations, target);
        var current = CurrentVersion(applied);
        if (target < current)
        {
            throw new MigrationRefusedException(MigrationRefusal.TargetConflict,
                $"Cannot go up to V{Migration.FormatVersion(target)}: the database is already at V{Migration.FormatVersion(current)}; roll back instead.");
        }

        var appliedVersions = applied.Select(a => a.Version).ToHashSet();
        return new MigrationPlan(current, target, [.. migrations.Migrations.Where(m => m.Version <= target && !appliedVersions.Contains(m.Version))]);
    }

    /// <summary>The applied migrations above <paramref name="target"/>, newest first: what a down run undoes.</summary>
    /// <exception cref="MigrationRefusedException">The target is not 0 or an applied version at or below the current one, or a migration to undo has no down script.</exception>
    public static MigrationPlan Down(MigrationSet migrations, IReadOnlyList<AppliedMigration> applied, int target)
    {
        var current = CurrentVersion(applied);
        if (target < 0 || target > current || target > 0 && applied.All(a => a.Version != target))
        {
            throw new MigrationRefusedException(MigrationRefusal.TargetConflict,
                $"Cannot roll back to V{Migration.FormatVersion(Math.Max(target, 0))}: it must be 0 or an applied version not above the current V{Migration.FormatVersion(current)}.");
        }

        var toUndo = applied.Where(a => a.Version > target).OrderByDescending(a => a.Version).Select(a => migrations.Find(a.Version)!).ToList();
        var withoutDown = toUndo.Where(m => m.DownSql is null).Select(m => "V" + m.Label).ToList();
        return withoutDown.Count == 0
            ? new MigrationPlan(current, target, toUndo)
            : throw new MigrationRefusedException(MigrationRefusal.TargetConflict,
                $"Cannot roll back to V{Migration.FormatVersion(target)}: {string.Join(", ", withoutDown)} has no down script.");
    }

    /// <summary>The plan to <paramref name="target"/>: down when it is below the database's version, otherwise up.</summary>
    /// <exception cref="MigrationRefusedException">As <see cref="Up"/> and <see cref="Down"/>.</exception>
    public static MigrationPlan Plan(MigrationSet migrations, IReadOnlyList<AppliedMigration> applied, int target) =>
        target < CurrentVersion(applied) ? Down(migrations, applied, target) : Up(migrations, applied, target);

    /// <summary>
    /// Whether a run of the plan needs an approval: an up plan where the policy says so; in uat and prod, whatever the
    /// policy, a rollback to V0000 and a rollback that drops a table holding rows.
    /// </summary>
    public static bool NeedsApproval(PlantSettings settings, MigrationPlan plan, IReadOnlyList<DroppedTable> drops) =>
        !plan.IsEmpty && (plan.Operation == MigrationOperation.Up
            ? settings.MigrationPolicy == MigrationPolicy.Approval
            : settings.Environment is PlantEnvironment.Uat or PlantEnvironment.Prod && (plan.TargetVersion == 0 || drops.Any(d => d.Rows > 0)));

    /// <summary>The plan the approval approved, if it is still exactly the current plan to its target; otherwise null.</summary>
    public static MigrationPlan? Approved(MigrationSet migrations, IReadOnlyList<AppliedMigration> applied, MigrationApproval approval)
    {
        MigrationPlan plan;
        try
        {
            plan = Plan(migrations, applied, approval.TargetVersion);
        }
        catch (MigrationRefusedException)
        {
            return null; // the way to the target is closed now: a version went, or a down script
        }

        return plan.Operation == approval.Operation && plan.Checksum == approval.PlanChecksum ? plan : null;
    }

    /// <summary>
    /// The newest open approval of <paramref name="operation"/> whose plan is still exactly the plan to its target
    /// (and whose target is <paramref name="target"/>, when given), or null.
    /// </summary>
    public static MigrationApproval? Match(
        MigrationSet migrations, IReadOnlyList<AppliedMigration> applied, IEnumerable<MigrationApproval> open, MigrationOperation operation, int? target) =>
        open.FirstOrDefault(a => a.Operation == operation && (target is null || a.TargetVersion == target) && Approved(migrations, applied, a) is not null);

    /// <summary>V0003, V0004.</summary>
    public static string Versions(IEnumerable<int> versions) => Migration.FormatVersions(versions);
}

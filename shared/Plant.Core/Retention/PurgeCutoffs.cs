using Plant.Core.Configuration;

namespace Plant.Core.Retention;

/// <summary>
/// The instants before which each kind of data is purged; null keeps that kind whole. Rows at or after a cutoff
/// are never touched.
/// </summary>
/// <param name="Data">Trials that ended or were cancelled, entity versions superseded, timer runs and Cloud Scheduler
/// deliveries before it go (<see cref="PlantSettings.RetentionDays"/>).</param>
/// <param name="Audit">Audit entries before it are cut at a signed checkpoint (<see cref="RetentionSettings.AuditDays"/>).</param>
/// <param name="MigrationLog">Migration log lines, run records and spent approvals before it go (<see cref="RetentionSettings.MigrationLogDays"/>).</param>
public sealed record PurgeCutoffs(DateTimeOffset? Data, DateTimeOffset? Audit, DateTimeOffset? MigrationLog)
{
    /// <summary>The cutoffs the environment's retention gives at <paramref name="now"/>, in whole microseconds as PostgreSQL keeps time.</summary>
    public static PurgeCutoffs From(PlantSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new PurgeCutoffs(
            Before(now, settings.RetentionDays),
            Before(now, settings.Retention.AuditDays),
            Before(now, settings.Retention.MigrationLogDays));
    }

    private static DateTimeOffset? Before(DateTimeOffset now, int? days)
    {
        if (days is not { } d)
        {
            return null;
        }

        var cutoff = now.ToUniversalTime().AddDays(-d);
        return cutoff.AddTicks(-(cutoff.Ticks % TimeSpan.TicksPerMicrosecond));
    }
}

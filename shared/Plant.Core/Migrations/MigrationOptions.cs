namespace Plant.Core.Migrations;

/// <summary>How the migration pipeline runs scripts; the defaults suit a Cloud SQL instance in use.</summary>
public sealed record MigrationOptions
{
    /// <summary>How often the migration lock is tried while a run waits for it.</summary>
    public TimeSpan LockPollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// <c>lock_timeout</c> for the DDL: a migration that waits this long for a table lock fails rather than
    /// queueing every query of the application behind it.
    /// </summary>
    public TimeSpan DdlLockTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>statement_timeout</c> for each migration statement.</summary>
    public TimeSpan StatementTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Recorded in the history's <c>applied_by</c>; defaults to the OS user and machine.</summary>
    public string AppliedBy { get; init; } = $"{System.Environment.UserName}@{System.Environment.MachineName}";
}

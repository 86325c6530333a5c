namespace Plant.Core.Backups;

/// <summary>
/// Takes a backup of the database before a migration run changes it: <see cref="PgDumpBackup"/> to a folder, or
/// <see cref="CloudSqlBackup"/> through the Cloud SQL Admin API. Chosen by <c>PLANT_BACKUP</c>
/// (<see cref="DatabaseBackups.Create"/>).
/// </summary>
public interface IDatabaseBackup
{
    /// <summary><c>pg_dump</c> or <c>cloudsql</c>, as the run report names it.</summary>
    string Kind { get; }

    /// <summary>Takes the backup and returns once it is complete.</summary>
    /// <exception cref="BackupException">The backup failed; the message says why and never holds a password.</exception>
    Task<BackupResult> BackupAsync(BackupRequest request, CancellationToken ct);
}

/// <summary>What a backup is for, to name and describe it.</summary>
/// <param name="RunId">The run that takes it.</param>
/// <param name="DatabaseVersion">The schema version being backed up.</param>
/// <param name="Description">The run in a few words: <c>up 0003 -> 0005</c>.</param>
public sealed record BackupRequest(Guid RunId, int DatabaseVersion, string Description);

/// <summary>A completed backup.</summary>
/// <param name="Kind"><c>pg_dump</c> or <c>cloudsql</c>.</param>
/// <param name="Location">The dump file's full path, or the Cloud SQL instance, operation and backup id.</param>
/// <param name="SizeBytes">The dump file's size; null for Cloud SQL.</param>
/// <param name="DurationMs">How long it took.</param>
/// <param name="Removed">Older dump files removed to keep the newest N.</param>
public sealed record BackupResult(string Kind, string Location, long? SizeBytes, long DurationMs, IReadOnlyList<string> Removed);

/// <summary>A backup failed. The message is safe to show an operator: it never holds a password or a token.</summary>
public sealed class BackupException : Exception
{
    public BackupException(string message)
        : base(message)
    {
    }

    public BackupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

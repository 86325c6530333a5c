using Npgsql;
using Plant.Core.Configuration;

namespace Plant.Core.Backups;

/// <summary>Builds the backup that <c>PLANT_BACKUP</c> names.</summary>
public static class DatabaseBackups
{
    // One client per process, as HttpClient is meant to be used; connections are recycled so that DNS changes are
    // seen. Requests carry their own timeouts.
    private static readonly Lazy<HttpClient> s_httpClient = new(() =>
        new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan });

    /// <summary>The configured backup, or null when <c>PLANT_BACKUP</c> is <c>none</c>.</summary>
    /// <param name="settings">The Migrate settings.</param>
    /// <param name="connection">The database's connection settings (for pg_dump, and the Cloud SQL socket path).</param>
    /// <param name="time">The clock.</param>
    /// <param name="httpClient">For Cloud SQL and the metadata server; a process-wide client when null.</param>
    /// <exception cref="ConfigurationException">Cloud SQL is chosen but no instance is known.</exception>
    public static IDatabaseBackup? Create(MigrationSettings settings, NpgsqlConnectionStringBuilder connection, TimeProvider time, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(connection);
        switch (settings.Backup)
        {
            case BackupKind.None:
                return null;
            case BackupKind.PgDump:
                return new PgDumpBackup(connection, settings.BackupDirectory, settings.BackupKeep, settings.BackupTimeout, time);
            default:
                var instance = CloudSqlInstanceName.TryParse(settings.CloudSqlInstance) ?? CloudSqlInstanceName.FromSocketHost(connection.Host)
                    ?? throw new ConfigurationException(MigrationSettings.CloudSqlInstanceSetting,
                        $"required when {MigrationSettings.BackupSetting} is cloudsql and DATABASE_URL does not connect through /cloudsql/PROJECT:REGION:INSTANCE; set it to the instance's connection name.");
                var http = httpClient ?? s_httpClient.Value;
                return new CloudSqlBackup(http, instance, settings.CloudSqlApi, new MetadataServerToken(http, settings.MetadataHost, time),
                    new CloudSqlBackupOptions { Timeout = settings.BackupTimeout });
        }
    }
}

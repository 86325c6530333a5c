using System.Net;
using Plant.Core.Backups;
using Plant.Core.Configuration;
using Plant.Migrate.Tests.Support;

namespace Plant.Migrate.Tests.Backups;

/// <summary>
/// The Cloud SQL backup against <see cref="FakeCloudSql"/> (Cloud SQL cannot run here): a token from the metadata
/// server, backupRuns.insert, operations polled until DONE, every error surfaced.
/// </summary>
public sealed class CloudSqlBackupTests : IAsyncLifetime
{
    private readonly HttpClient _http = new();
    private FakeCloudSql _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeCloudSql.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task A_backup_waits_for_its_operation_to_be_done_and_names_it()
    {
        _fake.PollsUntilDone = 3;
        var backup = Backup();

        var result = await backup.BackupAsync(new BackupRequest(Guid.NewGuid(), 3, "up 0003 -> 0005"), CancellationToken.None);

        Assert.Equal("cloudsql", result.Kind);
        Assert.Matches($"^cloudsql {FakeCloudSql.ConnectionName}, operation [0-9a-f-]{{36}}, backup 1700000000000$", result.Location);
        Assert.StartsWith("plant up 0003 -> 0005 (run ", Assert.Single(_fake.BackupRuns), StringComparison.Ordinal);
        // One insert and three polls, all with the metadata server's token, fetched once.
        Assert.Equal(4, _fake.Authorizations.Count);
        Assert.All(_fake.Authorizations, a => Assert.Equal("Bearer fake-token-1", a));
        Assert.Equal(1, _fake.TokensIssued);
    }

    [Fact]
    public async Task An_error_in_the_finished_operation_fails_the_backup_with_its_code_and_message()
    {
        _fake.PollsUntilDone = 1;
        _fake.OperationError = ("BACKUP_FAILED", "The instance is being maintained.");

        var error = await Assert.ThrowsAsync<BackupException>(() => Backup().BackupAsync(new BackupRequest(Guid.NewGuid(), 1, "up"), CancellationToken.None));

        Assert.Contains("BACKUP_FAILED: The instance is being maintained.", error.Message, StringComparison.Ordinal);
        Assert.Contains(FakeCloudSql.ConnectionName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_error_answer_of_the_API_fails_the_backup_with_Google_s_status_and_message()
    {
        _fake.InsertFailure = HttpStatusCode.Forbidden;

        var error = await Assert.ThrowsAsync<BackupException>(() => Backup().BackupAsync(new BackupRequest(Guid.NewGuid(), 1, "up"), CancellationToken.None));

        Assert.Contains("answered 403", error.Message, StringComparison.Ordinal);
        Assert.Contains("PERMISSION_DENIED: The client is not authorized", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_instance_is_a_404_from_the_API_and_fails_the_backup()
    {
        var backup = new CloudSqlBackup(_http, new CloudSqlInstanceName(FakeCloudSql.Project, FakeCloudSql.Region, "other"), _fake.BaseAddress,
            new MetadataServerToken(_http, _fake.MetadataHost), Fast());

        var error = await Assert.ThrowsAsync<BackupException>(() => backup.BackupAsync(new BackupRequest(Guid.NewGuid(), 1, "up"), CancellationToken.None));

        Assert.Contains("answered 404", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_metadata_server_means_no_token_and_a_failed_backup_before_any_API_call()
    {
        var backup = new CloudSqlBackup(_http, Instance(), _fake.BaseAddress, new MetadataServerToken(_http, "127.0.0.1:1"), Fast());

        var error = await Assert.ThrowsAsync<BackupException>(() => backup.BackupAsync(new BackupRequest(Guid.NewGuid(), 1, "up"), CancellationToken.None));

        Assert.Contains("No access token from the metadata server at 127.0.0.1:1", error.Message, StringComparison.Ordinal);
        Assert.Empty(_fake.Authorizations);
    }

    [Fact]
    public async Task An_operation_that_never_finishes_times_out_as_a_backup_error()
    {
        _fake.PollsUntilDone = int.MaxValue;
        var backup = new CloudSqlBackup(_http, Instance(), _fake.BaseAddress, new MetadataServerToken(_http, _fake.MetadataHost),
            Fast() with { Timeout = TimeSpan.FromMilliseconds(300) });

        var error = await Assert.ThrowsAsync<BackupException>(() => backup.BackupAsync(new BackupRequest(Guid.NewGuid(), 1, "up"), CancellationToken.None));

        Assert.Contains("did not finish within", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_settings_choose_Cloud_SQL_and_take_the_instance_from_a_cloudsql_socket_or_refuse_without_one()
    {
        var settings = MigrationSettings.Defaults(PlantEnvironment.Prod);
        var socket = Plant.Core.Data.DatabaseUrl.Parse("postgresql+asyncpg://plant:pw@/plant?host=/cloudsql/proj:europe-west1:db");
        var tcp = Plant.Core.Data.DatabaseUrl.Parse("postgresql://plant:pw@10.0.0.5/plant");

        Assert.IsType<CloudSqlBackup>(DatabaseBackups.Create(settings, socket, TimeProvider.System, _http));
        Assert.IsType<CloudSqlBackup>(DatabaseBackups.Create(settings with { CloudSqlInstance = "proj:europe-west1:db" }, tcp, TimeProvider.System, _http));
        var error = Assert.Throws<ConfigurationException>(() => DatabaseBackups.Create(settings, tcp, TimeProvider.System, _http));
        Assert.Equal(MigrationSettings.CloudSqlInstanceSetting, error.Setting);
        Assert.Null(DatabaseBackups.Create(settings with { Backup = BackupKind.None }, tcp, TimeProvider.System));
    }

    private CloudSqlBackup Backup() =>
        new(_http, Instance(), _fake.BaseAddress, new MetadataServerToken(_http, _fake.MetadataHost), Fast());

    private static CloudSqlInstanceName Instance() => CloudSqlInstanceName.TryParse(FakeCloudSql.ConnectionName)!;

    private static CloudSqlBackupOptions Fast() => new() { PollInterval = TimeSpan.FromMilliseconds(5), MaxPollInterval = TimeSpan.FromMilliseconds(20) };
}

using System.Diagnostics;
using System.Net;
using Npgsql;
using Plant.Core.Backups;
using Plant.Core.Data;
using Plant.Migrate.Tests.Support;
using Plant.Testing;

namespace Plant.Migrate.Tests.Backups;

/// <summary>pg_dump backups: taken before a run, restorable with pg_restore, rotated, and never given the password on the command line.</summary>
public sealed class PgDumpBackupTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("plant-backup-test-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_run_backs_up_first_and_the_dump_restores_with_pg_restore_into_a_fresh_database()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_dump_restore");
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.Tables(2), "local",
            new Dictionary<string, string?> { ["PLANT_BACKUP"] = "pg_dump", ["PLANT_BACKUP_DIR"] = _folder });
        var (first, _) = await MigrateHosts.PostAsync(host, "/api/v1/migrations/apply", new { target = 1 });
        Assert.Equal(HttpStatusCode.OK, first);
        await db.ExecuteAsync("insert into public.t1 values (42)");

        var (status, body) = await MigrateHosts.PostAsync(host, "/api/v1/migrations/apply");

        Assert.Equal(HttpStatusCode.OK, status);
        var backup = body.GetProperty("backup");
        var file = backup.GetProperty("location").GetString()!;
        Assert.Equal(("pg_dump", _folder), (backup.GetProperty("kind").GetString(), Path.GetDirectoryName(file)));
        Assert.True(File.Exists(file));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        Assert.Equal(new FileInfo(file).Length, backup.GetProperty("sizeBytes").GetInt64());
        Assert.Matches(@"^plant-t_mig_dump_restore_[0-9a-f]{8}-\d{8}T\d{9}Z-V0001-[0-9a-f]{8}\.dump$", Path.GetFileName(file));

        // The dump is the database as it was before V0002: V0001 applied, with its row.
        var restoredUrl = await db.Server.CreateDatabaseAsync("mig_restored");
        try
        {
            await RestoreAsync(restoredUrl, file);
            await using var restored = NpgsqlDataSource.Create(restoredUrl);
            Assert.Equal(42, await Scalar<int>(restored, "select id from public.t1"));
            Assert.False(await Scalar<bool>(restored, "select to_regclass('public.t2') is not null"));
            Assert.Equal(1, await Scalar<int>(restored, "select max(version) from plant_migrations.history"));
        }
        finally
        {
            await db.Server.DropDatabaseAsync(restoredUrl);
        }
    }

    [Fact]
    public async Task Only_the_newest_N_dumps_of_the_database_are_kept()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_dump_rotate");
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 14, 12, 0, 0, TimeSpan.Zero));
        var backup = new PgDumpBackup(new NpgsqlConnectionStringBuilder(db.ConnectionString), _folder, keep: 2, TimeSpan.FromMinutes(1), clock);
        var other = Path.Combine(_folder, "plant-another_db-20200101T000000000Z-V0001-00000000.dump");
        var notes = Path.Combine(_folder, "notes.txt");
        await File.WriteAllTextAsync(other, "another database's dump");
        await File.WriteAllTextAsync(notes, "not a dump");

        var results = new List<BackupResult>();
        for (var i = 0; i < 3; i++)
        {
            clock.Now = clock.Now.AddMinutes(1);
            results.Add(await backup.BackupAsync(new BackupRequest(Guid.NewGuid(), 0, "test"), CancellationToken.None));
        }

        Assert.Equal([results[2].Location, results[1].Location], backup.ListDumps());
        Assert.Equal([results[0].Location], results[2].Removed);
        Assert.Empty(results[1].Removed);
        Assert.True(File.Exists(other) && File.Exists(notes));
        Assert.Empty(Directory.GetFiles(_folder, "*.partial"));
    }

    [Fact]
    public async Task Dumps_work_with_the_URL_the_SQLAlchemy_socket_and_the_keyword_forms_of_DATABASE_URL()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_dump_forms");
        var settings = new NpgsqlConnectionStringBuilder(db.ConnectionString);
        var socketFolder = await db.ScalarAsync<string>("select split_part(current_setting('unix_socket_directories'), ',', 1)");
        string[] forms =
        [
            $"postgresql://{settings.Username}:S3cret%3A%5Cpw@{settings.Host}:{settings.Port}/{settings.Database}",
            $"postgresql+asyncpg://{settings.Username}:pw@/{settings.Database}?host={socketFolder}&port={settings.Port}",
            $"Host={settings.Host};Port={settings.Port};Username={settings.Username};Database={settings.Database}",
        ];

        foreach (var form in forms)
        {
            var backup = new PgDumpBackup(DatabaseUrl.Parse(form), Path.Combine(_folder, forms.ToList().IndexOf(form).ToString()), 5, TimeSpan.FromMinutes(1));
            var result = await backup.BackupAsync(new BackupRequest(Guid.NewGuid(), 0, "forms"), CancellationToken.None);
            Assert.True(result.SizeBytes > 0, form);
        }
    }

    [Fact]
    public void The_password_goes_into_a_private_passfile_never_onto_the_command_line_or_into_the_environment()
    {
        const string password = @"20260101SD*&!:\x";
        var settings = DatabaseUrl.Parse("postgresql://plant:20260101SD%2A%26%21%3A%5Cx@db1:5433,[::1]:5434/plant?sslmode=require");
        var backup = new PgDumpBackup(settings, _folder, 1, TimeSpan.FromMinutes(1));

        var passFile = PgDumpBackup.WritePassFile(password);
        try
        {
            var info = backup.CreateStartInfo("/tmp/out.dump", passFile);

            Assert.DoesNotContain(info.ArgumentList, a => a.Contains("SD*", StringComparison.Ordinal));
            Assert.DoesNotContain(info.Environment.Values, v => v is not null && v.Contains("SD*", StringComparison.Ordinal));
            Assert.False(info.Environment.ContainsKey("PGPASSWORD"));
            Assert.Equal(passFile, info.Environment["PGPASSFILE"]);
            Assert.Equal(("db1,::1", "5433,5434"), (info.Environment["PGHOST"], info.Environment["PGPORT"]));
            Assert.Equal(("plant", "plant", "require"), (info.Environment["PGUSER"], info.Environment["PGDATABASE"], info.Environment["PGSSLMODE"]));
            Assert.Equal(@"*:*:*:*:20260101SD*&!\:\\x" + "\n", File.ReadAllText(passFile));
            if (!OperatingSystem.IsWindows())
            {
                // libpq ignores a passfile that the group or others can read.
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(passFile));
            }

            // Cloud SQL's unix socket folder, as the SQLAlchemy form names it.
            var socket = new PgDumpBackup(DatabaseUrl.Parse("postgresql+asyncpg://plant:pw@/plant?host=/cloudsql/proj:europe-west1:db"), _folder, 1, TimeSpan.FromMinutes(1))
                .CreateStartInfo("/tmp/out.dump", null);
            Assert.Equal(("/cloudsql/proj:europe-west1:db", "5432"), (socket.Environment["PGHOST"], socket.Environment["PGPORT"]));
            Assert.False(socket.Environment.ContainsKey("PGPASSFILE"));
        }
        finally
        {
            File.Delete(passFile);
        }
    }

    [Fact]
    public async Task A_failing_pg_dump_is_a_backup_error_without_the_password_and_leaves_no_file()
    {
        var backup = new PgDumpBackup(DatabaseUrl.Parse("postgresql://plant:Hunter2Secret@127.0.0.1:1/plant?connect_timeout=2"), _folder, 1, TimeSpan.FromMinutes(1));

        var error = await Assert.ThrowsAsync<BackupException>(() => backup.BackupAsync(new BackupRequest(Guid.NewGuid(), 0, "fail"), CancellationToken.None));

        Assert.StartsWith("pg_dump exited with code 1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Hunter2Secret", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    private static async Task RestoreAsync(string connectionString, string file)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        var info = new ProcessStartInfo("pg_restore") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "--no-owner", "--exit-on-error", "-h", settings.Host!, "-p", settings.Port.ToString(), "-U", settings.Username!, "-d", settings.Database!, file })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, "pg_restore failed: " + await errors);
    }

    private static async Task<T> Scalar<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}

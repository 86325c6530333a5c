using Plant.Testing;

namespace Plant.Migrate.Tests.CommandLine;

/// <summary>
/// The Migrate executable started from a folder outside the checkout, as <c>dotnet run --project</c> or an IDE may:
/// its local files go where docs/SETTINGS.md says (a relative <c>PLANT_LOCAL_DIR</c> is taken from the checkout),
/// and nothing appears in the folder it was started from.
/// </summary>
public sealed class WorkingFolderTests : IDisposable
{
    private readonly string _startedFrom = Directory.CreateTempSubdirectory("plant-started-from-").FullName;

    // Inside the checkout's git-ignored .plant, under a name of this test's own.
    private readonly string _localDir = Path.Combine(".plant", "test-" + Guid.NewGuid().ToString("N")[..12]);

    private string LocalFolder => RepositoryFolder.Path(_localDir);

    public void Dispose()
    {
        Directory.Delete(_startedFrom, recursive: true);
        if (Directory.Exists(LocalFolder))
        {
            Directory.Delete(LocalFolder, recursive: true);
        }
    }

    [Fact]
    public async Task Up_keeps_its_signing_key_and_backup_in_the_checkout_s_local_folder()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_cwd_up");

        var result = await MigrateCommandLineTests.RunFromAsync(_startedFrom, Local(db.ConnectionString, ("PLANT_BACKUP", "pg_dump")), "up");

        Assert.Equal((0, ""), (result.ExitCode, result.Error));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_startedFrom));
        Assert.True(File.Exists(Path.Combine(LocalFolder, "keys", "signing.pem")));
        Assert.Single(Directory.GetFiles(Path.Combine(LocalFolder, "backups"), "*.dump"));
        Assert.Contains($"  backup  pg_dump {Path.Combine(LocalFolder, "backups")}", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_host_keeps_its_keys_in_the_checkout_s_local_folder_and_runs_as_Development()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_cwd_host");
        using var host = MigrateCommandLineTests.Start(Local(db.ConnectionString), _startedFrom);
        var error = host.StandardError.ReadToEndAsync();
        try
        {
            // The banner's keys line comes once the host listens.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var output = new List<string>();
            while (await host.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                output.Add(line);
                if (line.StartsWith("Local keys (kept in ", StringComparison.Ordinal))
                {
                    break;
                }
            }

            var all = string.Join('\n', output);
            Assert.Contains($"Local keys (kept in {Path.Combine(LocalFolder, "keys")})", all, StringComparison.Ordinal);
            Assert.Contains("Hosting environment: Development", all, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(LocalFolder, "keys", "master.key")));
            Assert.True(File.Exists(Path.Combine(LocalFolder, "keys", "function.key")));
            Assert.Empty(Directory.EnumerateFileSystemEntries(_startedFrom));
        }
        finally
        {
            host.Kill();
            await host.WaitForExitAsync();
            await error;
        }
    }

    [Fact]
    public async Task A_host_that_fails_to_start_leaves_no_keys_anywhere()
    {
        var result = await MigrateCommandLineTests.RunFromAsync(
            _startedFrom, Local("Host=127.0.0.1;Database=unused", ("PLANT_RATE_LIMIT_PER_MINUTE", "lots")));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("PLANT_RATE_LIMIT_PER_MINUTE", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_startedFrom));
        Assert.False(File.Exists(Path.Combine(LocalFolder, "keys", "master.key")));
        Assert.False(File.Exists(Path.Combine(LocalFolder, "keys", "function.key")));
    }

    /// <summary>A local run with no keys, no backup folder and a relative local folder: everything comes from the defaults.</summary>
    private Dictionary<string, string?> Local(string databaseUrl, params (string Name, string Value)[] more)
    {
        var environment = new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = databaseUrl,
            ["PLANT_LOCAL_DIR"] = _localDir,
            ["PLANT_BACKUP_DIR"] = null,
            ["PLANT_MASTER_KEY"] = null,
            ["PLANT_FUNCTION_KEYS"] = null,
            ["K_SERVICE"] = null,
            ["PORT"] = "0",
            // The scheduled migration would run against the scratch database in the background; not under test here.
            ["PLANT_TIMERS_IN_PROCESS"] = "false",
        };
        foreach (var name in TestSigningKeys.Settings.Keys)
        {
            environment[name] = null;
        }

        foreach (var (name, value) in more)
        {
            environment[name] = value;
        }

        return environment;
    }
}

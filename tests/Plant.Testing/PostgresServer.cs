using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace Plant.Testing;

/// <summary>
/// The PostgreSQL server of a test run: one per test process, started on first use by
/// <c>scripts/postgres.sh</c> in a fresh temporary folder, stopped and deleted when the process exits.
/// When <c>PLANT_TEST_DATABASE_URL</c> holds a connection string (a superuser on an existing server),
/// that server is used instead and nothing is started.
/// </summary>
/// <remarks>
/// Cleanup is done by a watchdog shell started with the server: it stops the server and deletes the folder
/// as soon as its stdin, a pipe from this process, closes. That happens however this process ends, even
/// killed (the test platform kills its test host right after the run, before exit handlers finish). The
/// <see cref="AppDomain.ProcessExit"/> handler closes the pipe itself and waits for the watchdog, so a
/// normal exit leaves nothing behind. Should the watchdog be killed too, the next start removes folders of
/// earlier runs whose owner process is gone.
/// </remarks>
public sealed partial class PostgresServer
{
    /// <summary>Environment variable naming an existing server to use instead of starting one.</summary>
    public const string DatabaseUrlVariable = "PLANT_TEST_DATABASE_URL";

    private const string FolderPrefix = "plant-test-pg-";
    private const string OwnerFile = "owner";
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(10); // may include apt-get install
    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync);

    private readonly NpgsqlDataSource _admin;
    private readonly string? _folder;
    private readonly int _port;
    private readonly Process? _watchdog;

    private PostgresServer(string adminConnectionString, string? folder = null, int port = 0, Process? watchdog = null)
    {
        AdminConnectionString = adminConnectionString;
        _admin = NpgsqlDataSource.Create(adminConnectionString);
        _folder = folder;
        _port = port;
        _watchdog = watchdog;
    }

    /// <summary>The server of this test process, started on the first call.</summary>
    public static Task<PostgresServer> SharedAsync() => Shared.Value;

    /// <summary>
    /// A server of the caller's own, never the external one, for tests that stop and restart it (database outages).
    /// Dispose it when done; it is stopped and deleted at process exit anyway.
    /// </summary>
    public static async Task<PrivatePostgresServer> StartPrivateAsync() => new(await LaunchAsync().ConfigureAwait(false));

    /// <summary>Superuser connection string to the server's <c>postgres</c> database (or the external one).</summary>
    public string AdminConnectionString { get; }

    /// <summary>True when the server came from <c>PLANT_TEST_DATABASE_URL</c> rather than being started here.</summary>
    public bool IsExternal => _folder is null;

    /// <summary>
    /// Creates a new, empty, uniquely named database (<c>t_[prefix_]xxxxxxxx</c>) and returns a connection
    /// string to it. The prefix is reduced to lowercase letters, digits and underscores.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string? prefix = null, CancellationToken ct = default)
    {
        var name = NewDatabaseName(prefix);
        // CREATE DATABASE takes no parameters: the name is generated here and checked before quoting.
        await using (var command = _admin.CreateCommand($"CREATE DATABASE {QuoteIdentifier(name)}"))
        {
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>
    /// Drops the database a connection string from <see cref="CreateDatabaseAsync"/> points to,
    /// terminating any connection still open on it. No error if it is already gone.
    /// </summary>
    public async Task DropDatabaseAsync(string connectionString, CancellationToken ct = default)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        if (name is null || !TestDatabaseName().IsMatch(name))
        {
            throw new ArgumentException($"Not a test database created by {nameof(CreateDatabaseAsync)}: '{name}'.", nameof(connectionString));
        }
        // Idle pooled connections are closed politely; FORCE terminates whatever is still in use.
        using (var connection = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }
        await using var command = _admin.CreateCommand($"DROP DATABASE IF EXISTS {QuoteIdentifier(name)} WITH (FORCE)");
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var external = Environment.GetEnvironmentVariable(DatabaseUrlVariable);
        return string.IsNullOrWhiteSpace(external) ? await LaunchAsync().ConfigureAwait(false) : new PostgresServer(external);
    }

    /// <summary>Starts a server in a fresh temporary folder, watched so that it goes away with this process.</summary>
    private static async Task<PostgresServer> LaunchAsync()
    {
        var script = FindScript();
        RemoveOrphans(script);
        // Installing is done once up front, so a failed install is not retried below.
        await RunScriptAsync(script, ["ensure-installed"]).ConfigureAwait(false);

        // The free port is only free until the server binds it: another process may take it meanwhile.
        for (var attempt = 1; ; attempt++)
        {
            var folder = Path.Combine(Path.GetTempPath(), FolderPrefix + RandomHex(8));
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(Path.Combine(folder, OwnerFile), OwnerStamp()).ConfigureAwait(false);
            // Started before the server, so that no moment exists in which a server runs unwatched.
            var watchdog = StartWatchdog(script, folder);
            try
            {
                var port = FreePort();
                var output = await RunScriptAsync(script, ["start", folder, port.ToString(CultureInfo.InvariantCulture), "fast"]).ConfigureAwait(false);
                var connectionString = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
                var server = new PostgresServer(connectionString, folder, port, watchdog);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Cleanup();
                return server;
            }
            catch (Exception e)
            {
                // Read the logs first: the watchdog deletes the folder.
                var logs = string.Concat(new[] { "initdb.log", "postgres.log" }
                    .Select(log => Path.Combine(folder, log))
                    .Where(File.Exists)
                    .Select(log => $"\n--- {log} (end):\n{string.Join('\n', File.ReadLines(log).TakeLast(20))}"));
                StopWatchdog(watchdog);
                if (attempt == 3)
                {
                    throw new InvalidOperationException($"Could not start PostgreSQL: {e.Message}{logs}", e);
                }
            }
        }
    }

    /// <summary>Stops the server as an operator does (<c>pg_ctl stop -m fast</c>): sessions are terminated.</summary>
    internal Task StopAsync() => RunScriptAsync(FindScript(), ["stop", Folder]);

    /// <summary>Starts the stopped server again, on the same port with the same data.</summary>
    internal Task StartAgainAsync() =>
        RunScriptAsync(FindScript(), ["start", Folder, _port.ToString(CultureInfo.InvariantCulture), "fast"]);

    private string Folder => _folder ?? throw new InvalidOperationException("The external server is not this process's to stop.");

    internal void Cleanup()
    {
        _admin.Dispose();
        if (_watchdog is not null)
        {
            StopWatchdog(_watchdog);
        }
    }

    /// <summary>Closes the watchdog's stdin, so it stops the server and deletes the folder; waits for that.</summary>
    private static void StopWatchdog(Process watchdog)
    {
        try
        {
            watchdog.StandardInput.Close();
            watchdog.WaitForExit(30_000);
        }
        catch (Exception)
        {
            // Best effort: the next run's orphan sweep retries.
        }
        watchdog.Dispose();
    }

    private static void StopAndDelete(string script, string folder)
    {
        try
        {
            using var process = Process.Start(ScriptStartInfo(script, ["stop", folder]))!;
            var errors = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            errors.Wait(30_000);
            process.WaitForExit(30_000);
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception)
        {
            // Best effort: the next run's orphan sweep retries.
        }
    }

    /// <summary>
    /// A shell that waits for end of file on its stdin, then stops the server and deletes the folder. Its
    /// stdin is a pipe only this process writes to (the write end is not inherited by other children), so
    /// end of file means this process closed it or is gone. It ignores Ctrl-C, which reaches the whole
    /// process group, so that it still cleans up after an interrupted run.
    /// </summary>
    private static Process StartWatchdog(string script, string folder)
    {
        const string Watch = """
            trap '' INT HUP
            exec >/dev/null 2>&1
            while read -r _; do :; done
            bash "$1" stop "$2"
            rm -rf -- "$2"
            """;
        var info = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var argument in new[] { "-c", Watch, "plant-test-pg-watchdog", script, folder })
        {
            info.ArgumentList.Add(argument);
        }
        return Process.Start(info) ?? throw new InvalidOperationException("Could not start the watchdog shell.");
    }

    /// <summary>Stops and deletes servers of earlier runs whose test process is gone.</summary>
    private static void RemoveOrphans(string script)
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            try
            {
                if (IsOrphan(folder))
                {
                    StopAndDelete(script, folder);
                }
            }
            catch (Exception)
            {
                // Someone else's folder, or deleted meanwhile: not ours to worry about.
            }
        }
    }

    private static bool IsOrphan(string folder)
    {
        var owner = Path.Combine(folder, OwnerFile);
        var parts = File.Exists(owner) ? File.ReadAllText(owner).Split(' ') : [];
        if (parts.Length != 2
            || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var startTicks))
        {
            // Being created right now, or written by something else: only an old one is abandoned.
            return Directory.GetLastWriteTimeUtc(folder) < DateTime.UtcNow.AddDays(-1);
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            // Same pid but a different start time: the pid was reused by an unrelated process.
            return Math.Abs(process.StartTime.ToUniversalTime().Ticks - startTicks) > TimeSpan.TicksPerSecond;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return true; // no such process any more
        }
    }

    private static string OwnerStamp()
    {
        using var self = Process.GetCurrentProcess();
        return string.Create(CultureInfo.InvariantCulture, $"{self.Id} {self.StartTime.ToUniversalTime().Ticks}");
    }

    private static async Task<string> RunScriptAsync(string script, string[] arguments)
    {
        using var timeout = new CancellationTokenSource(ScriptTimeout);
        using var process = Process.Start(ScriptStartInfo(script, arguments))
            ?? throw new InvalidOperationException($"Could not run {script}.");
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} {string.Join(' ', arguments)} did not finish within {ScriptTimeout}.");
        }
        var output = await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{script} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}:\n{errors}{output}");
        }
        return output;
    }

    private static ProcessStartInfo ScriptStartInfo(string script, string[] arguments)
    {
        var info = new ProcessStartInfo("bash")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        return info;
    }

    /// <summary>
    /// scripts/postgres.sh of the repository holding the test binaries (the folder with Plant.sln above
    /// them), or else of the repository Plant.Testing was built in.
    /// </summary>
    private static string FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Plant.sln")))
            {
                return Path.Combine(dir.FullName, "scripts", "postgres.sh");
            }
        }
        var builtIn = typeof(PostgresServer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "PlantRepoRoot")?.Value;
        var script = builtIn is null ? null : Path.Combine(builtIn, "scripts", "postgres.sh");
        return File.Exists(script)
            ? script
            : throw new InvalidOperationException($"scripts/postgres.sh not found: no Plant.sln above {AppContext.BaseDirectory}.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string NewDatabaseName(string? prefix)
    {
        var name = new StringBuilder("t_");
        foreach (var c in (prefix ?? "").Take(40))
        {
            name.Append(c is >= 'a' and <= 'z' or >= '0' and <= '9' ? c : c is >= 'A' and <= 'Z' ? (char)(c + ('a' - 'A')) : '_');
        }
        if (name.Length > 2)
        {
            name.Append('_');
        }
        return name.Append(RandomHex(8)).ToString();
    }

    private static string QuoteIdentifier(string name) =>
        TestDatabaseName().IsMatch(name) ? $"\"{name}\"" : throw new ArgumentException($"Invalid database name '{name}'.", nameof(name));

    private static string RandomHex(int length) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(length / 2));

    /// <summary>The names <see cref="NewDatabaseName"/> makes: safe to quote, never a system database.</summary>
    [GeneratedRegex("^t_[a-z0-9_]{1,61}$")]
    private static partial Regex TestDatabaseName();
}

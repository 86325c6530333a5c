using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace Plant.Core.Backups;

/// <summary>
/// <c>pg_dump --format=custom</c> of the database into a folder, as <c>plant-{database}-{UTC time}-V{version}-{run}.dump</c>,
/// keeping the newest N dumps of that database and removing older ones. The connection comes from the same
/// settings as the application's (every <c>DATABASE_URL</c> form, unix sockets and several hosts included); the
/// password goes to pg_dump in a passfile readable only by this user, never on its command line or in its
/// environment. Restore with <c>pg_restore --dbname=... FILE</c>.
/// </summary>
public sealed partial class PgDumpBackup : IDatabaseBackup
{
    private readonly NpgsqlConnectionStringBuilder _connection;
    private readonly string _directory;
    private readonly int _keep;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly string _program;

    /// <param name="connection">The database to dump.</param>
    /// <param name="directory">Where dumps go; created when missing.</param>
    /// <param name="keep">How many dumps of this database to keep, 1 or more.</param>
    /// <param name="timeout">How long pg_dump may run.</param>
    /// <param name="time">The clock for file names; the system clock when null.</param>
    /// <param name="program">The pg_dump executable; <c>pg_dump</c> from the PATH by default.</param>
    public PgDumpBackup(NpgsqlConnectionStringBuilder connection, string directory, int keep, TimeSpan timeout, TimeProvider? time = null, string program = "pg_dump")
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        _connection = connection;
        _directory = Path.GetFullPath(directory);
        _keep = keep;
        _timeout = timeout;
        _time = time ?? TimeProvider.System;
        _program = program;
    }

    /// <inheritdoc/>
    public string Kind => "pg_dump";

    /// <summary>The folder the dumps go to.</summary>
    public string Directory => _directory;

    /// <summary>Every dump of this database in the folder, newest first.</summary>
    public IReadOnlyList<string> ListDumps() =>
        System.IO.Directory.Exists(_directory)
            ? [.. System.IO.Directory.EnumerateFiles(_directory, FilePrefix + "*.dump").OrderByDescending(f => Path.GetFileName(f), StringComparer.Ordinal)]
            : [];

    /// <inheritdoc/>
    public async Task<BackupResult> BackupAsync(BackupRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clock = Stopwatch.StartNew();
        System.IO.Directory.CreateDirectory(_directory);
        // The UTC time first, so that names sort by age; the run id keeps two dumps of the same millisecond apart.
        var name = string.Create(CultureInfo.InvariantCulture,
            $"{FilePrefix}{_time.GetUtcNow():yyyyMMdd'T'HHmmssfff'Z'}-V{request.DatabaseVersion:D4}-{request.RunId.ToString("N")[..8]}.dump");
        var file = Path.Combine(_directory, name);
        var partial = file + ".partial";
        var passFile = string.IsNullOrEmpty(_connection.Password) ? null : WritePassFile(_connection.Password);
        try
        {
            await RunAsync(CreateStartInfo(partial, passFile), ct);
            if (!OperatingSystem.IsWindows())
            {
                // A dump holds the whole database: readable by this user only, whatever the umask.
                File.SetUnixFileMode(partial, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.Move(partial, file);
        }
        finally
        {
            File.Delete(partial);
            if (passFile is not null)
            {
                File.Delete(passFile);
            }
        }

        var size = new FileInfo(file).Length;
        var removed = Rotate();
        return new BackupResult(Kind, file, size, clock.ElapsedMilliseconds, removed);
    }

    /// <summary>
    /// pg_dump's command line and environment. The password is only in the passfile; variables inherited from this
    /// process that would steer libpq elsewhere (PGPASSWORD, PGSERVICE...) are removed.
    /// </summary>
    internal ProcessStartInfo CreateStartInfo(string file, string? passFile)
    {
        var info = new ProcessStartInfo(_program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "--format=custom", "--no-password", "--lock-wait-timeout=60s", "--file=" + file })
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var inherited in info.Environment.Keys.Where(k => k.StartsWith("PG", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(inherited);
        }

        var (hosts, ports) = HostsAndPorts(_connection);
        info.Environment["PGHOST"] = hosts;
        info.Environment["PGPORT"] = ports;
        SetIfPresent(info, "PGUSER", _connection.Username);
        SetIfPresent(info, "PGDATABASE", _connection.Database);
        info.Environment["PGAPPNAME"] = "plant-backup";
        info.Environment["PGCONNECT_TIMEOUT"] = _connection.Timeout.ToString(CultureInfo.InvariantCulture);
        info.Environment["PGSSLMODE"] = SslMode(_connection.SslMode);
        // Without a password in the settings, libpq looks in ~/.pgpass as Npgsql does.
        SetIfPresent(info, "PGPASSFILE", passFile);
        return info;
    }

    /// <summary>libpq's host and port lists for Npgsql's Host, which may list several <c>host:port</c> and socket folders.</summary>
    internal static (string Hosts, string Ports) HostsAndPorts(NpgsqlConnectionStringBuilder connection)
    {
        var hosts = new List<string>();
        var ports = new List<string>();
        foreach (var entry in (connection.Host ?? "localhost").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (host, port) = entry.StartsWith('/') ? (entry, null) : SplitPort(entry);
            hosts.Add(host);
            ports.Add((port ?? connection.Port).ToString(CultureInfo.InvariantCulture));
        }

        return (string.Join(',', hosts), string.Join(',', ports));
    }

    private static (string Host, int? Port) SplitPort(string entry)
    {
        if (entry.StartsWith('['))
        {
            var close = entry.IndexOf(']', StringComparison.Ordinal);
            var rest = entry[(close + 1)..];
            return (entry[1..close], rest.StartsWith(':') && int.TryParse(rest[1..], CultureInfo.InvariantCulture, out var p6) ? p6 : null);
        }

        var colon = entry.LastIndexOf(':');
        // One colon is host:port; more is a bare IPv6 address.
        return colon > 0 && entry.IndexOf(':', StringComparison.Ordinal) == colon && int.TryParse(entry[(colon + 1)..], CultureInfo.InvariantCulture, out var port)
            ? (entry[..colon], port)
            : (entry, null);
    }

    private static string SslMode(Npgsql.SslMode mode) => mode switch
    {
        Npgsql.SslMode.Disable => "disable",
        Npgsql.SslMode.Allow => "allow",
        Npgsql.SslMode.Require => "require",
        Npgsql.SslMode.VerifyCA => "verify-ca",
        Npgsql.SslMode.VerifyFull => "verify-full",
        _ => "prefer",
    };

    private static void SetIfPresent(ProcessStartInfo info, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            info.Environment[name] = value;
        }
    }

    /// <summary>A passfile (<c>*:*:*:*:password</c>, with ':' and '\' escaped) that only this user can read, as libpq requires.</summary>
    internal static string WritePassFile(string password)
    {
        var path = Path.Combine(Path.GetTempPath(), $"plant-pgpass-{Guid.NewGuid():N}");
        var escaped = password.Replace(@"\", @"\\", StringComparison.Ordinal).Replace(":", @"\:", StringComparison.Ordinal);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        stream.Write(Encoding.UTF8.GetBytes($"*:*:*:*:{escaped}\n"));
        return path;
    }

    private async Task RunAsync(ProcessStartInfo info, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_timeout);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new BackupException($"{_program} could not be started.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new BackupException($"{_program} could not be started ({e.Message}); install the PostgreSQL client or set PLANT_BACKUP.", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                if (ct.IsCancellationRequested)
                {
                    throw;
                }

                throw new BackupException($"{_program} did not finish within {_timeout.TotalMinutes:0.#} minutes.");
            }

            await output;
            var stderr = (await errors).Trim();
            if (process.ExitCode != 0)
            {
                throw new BackupException($"{_program} exited with code {process.ExitCode}: {Scrub(stderr)}");
            }
        }
    }

    private string Scrub(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ");
        return string.IsNullOrEmpty(_connection.Password) ? oneLine : oneLine.Replace(_connection.Password, "***", StringComparison.Ordinal);
    }

    private IReadOnlyList<string> Rotate()
    {
        var removed = new List<string>();
        foreach (var old in ListDumps().Skip(_keep))
        {
            File.Delete(old);
            removed.Add(old);
        }

        return removed;
    }

    /// <summary><c>plant-{database}-</c>: rotation only ever looks at this database's dumps.</summary>
    private string FilePrefix => $"plant-{Unsafe().Replace(_connection.Database ?? _connection.Username ?? "postgres", "_")}-";

    [GeneratedRegex("[^A-Za-z0-9_]")]
    private static partial Regex Unsafe();
}

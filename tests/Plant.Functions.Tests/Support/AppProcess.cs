using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Plant.Functions.Tests.Support;

/// <summary>
/// A published function app running as a child process, with every line it writes to stdout and stderr kept.
/// Disposing kills it if it still runs; so does the end of the test process, should a test not get that far.
/// </summary>
public sealed partial class AppProcess : IAsyncDisposable
{
    private const int SigTerm = 15;

    // Settings the host reads: a developer's shell must not leak them into the app under test.
    private static readonly string[] s_inheritedPrefixes = ["PLANT_", "ASPNETCORE_", "MSBUILD"];
    private static readonly string[] s_inheritedNames = ["PORT", "K_SERVICE", "FUNCTION_TARGET", "DATABASE_URL", "DOTNET_ENVIRONMENT"];

    private static readonly ConcurrentDictionary<AppProcess, bool> s_running = new();

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    static AppProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var app in s_running.Keys)
        {
            app.Kill();
        }
    };

    private AppProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The app on the loopback address; it listens on every address, as in a container.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public IReadOnlyList<string> StdoutLines => [.. _stdout];

    public string Stdout => string.Join('\n', _stdout);

    public string Stderr => string.Join('\n', _stderr);

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="command"/> in <paramref name="workingDirectory"/>; a null value removes a variable.</summary>
    public static AppProcess Start(string workingDirectory, IReadOnlyList<string> command, IReadOnlyDictionary<string, string?> environment, int port)
    {
        var info = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // As in a container: no terminal to read from.
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var key in info.Environment.Keys.Where(IsHostSetting).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = info };
        var app = new AppProcess(process, port);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                app._stdout.Enqueue(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                app._stderr.Enqueue(e.Data);
            }
        };
        process.Start();
        s_running.TryAdd(app, true);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    /// <summary>A port nobody listens on right now (another process may take it before the app binds it).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until <c>/healthz</c> answers 200; false if the process exits first.</summary>
    public async Task<bool> WaitUntilListeningAsync(HttpClient client, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!cts.IsCancellationRequested)
        {
            if (_process.HasExited)
            {
                return false;
            }

            try
            {
                using var response = await client.GetAsync(new Uri(BaseAddress, "healthz"), cts.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(50, CancellationToken.None);
        }

        throw new TimeoutException($"The app did not answer /healthz within {timeout}.\n{Describe()}");
    }

    /// <summary>Waits for the process to exit; its output is complete when this returns.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The app did not exit within {timeout}.\n{Describe()}");
        }

        return _process.ExitCode;
    }

    /// <summary>
    /// Waits for a stdout line that matches; the console logger writes from a queue of its own, so a line may
    /// follow the response it belongs to by a little.
    /// </summary>
    public async Task<string> WaitForStdoutAsync(Func<string, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            if (_stdout.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            if (cts.IsCancellationRequested)
            {
                throw new TimeoutException($"No matching stdout line within {timeout}.\n{Describe()}");
            }

            await Task.Delay(50, CancellationToken.None);
        }
    }

    /// <summary>Sends SIGTERM, as Cloud Run does before it stops an instance.</summary>
    public void Terminate()
    {
        if (Kill(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    public string Describe() =>
        $"exited: {_process.HasExited}{(_process.HasExited ? $" (code {_process.ExitCode})" : "")}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";

    public async ValueTask DisposeAsync()
    {
        Kill();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            // Killed with SIGKILL: it is gone or going; nothing more can be done.
        }

        s_running.TryRemove(this, out _);
        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Exited meanwhile.
        }
    }

    private static bool IsHostSetting(string name) =>
        s_inheritedNames.Contains(name, StringComparer.OrdinalIgnoreCase)
        || s_inheritedPrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

using System.Collections.Concurrent;
using System.Diagnostics;
using Plant.Testing;

namespace Plant.Functions.Tests.Support;

/// <summary>
/// The function apps published as the Dockerfile publishes them, Native AOT, by scripts/publish-aot.sh: once per
/// content (the script keeps its output in a cache named by a hash of the sources), so a run with nothing changed
/// publishes nothing.
/// </summary>
public static class PublishedApps
{
    // A cold Native AOT publish takes one or two minutes per app on two cores, and the script publishes one app at
    // a time: generous, because a timeout here fails every test of the app.
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(20);

    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> s_published = new(StringComparer.Ordinal);

    /// <summary>The folder holding the native executable <c>Plant.{app}</c> (Genesis, Agents or Migrate).</summary>
    public static Task<string> GetAsync(string app) =>
        s_published.GetOrAdd(app, name => new Lazy<Task<string>>(() => PublishAsync(name))).Value;

    private static async Task<string> PublishAsync(string app)
    {
        var info = new ProcessStartInfo("bash")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryFolder.Root,
        };
        info.ArgumentList.Add("scripts/publish-aot.sh");
        info.ArgumentList.Add(app);
        // The test platform runs inside MSBuild's environment; a child build must find its own SDK.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start scripts/publish-aot.sh.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(PublishTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"scripts/publish-aot.sh {app} did not finish within {PublishTimeout}.");
        }

        var folder = (await stdout).Trim();
        return process.ExitCode == 0 && File.Exists(Path.Combine(folder, $"Plant.{app}"))
            ? folder
            : throw new InvalidOperationException($"scripts/publish-aot.sh {app} failed with exit code {process.ExitCode}:\n{folder}\n{await stderr}");
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Plant.Testing;

namespace Plant.Functions.Tests.Support;

/// <summary>
/// Publishes a function app the way the Dockerfile's build stage does, once per test run, into a temporary folder
/// that is deleted when the run ends. The folder then looks like the image's /app: the apphost is renamed to the
/// Dockerfile's fixed entrypoint name.
/// </summary>
/// <remarks>
/// MSBuild's intermediate files go to a folder of their own outside the checkout (one per checkout, kept between
/// runs), so that publishing neither races with nor overwrites the developer's bin/ and obj/ folders, and a
/// second run only rebuilds what changed. A lock file keeps two concurrent runs of one checkout apart.
/// </remarks>
public static class PublishedApps
{
    /// <summary>The publish flags of the Dockerfile, in the order it writes them; a test checks that it still does.</summary>
    public static readonly IReadOnlyList<string> DockerfileFlags =
        ["-c", "Release", "-r", "linux-x64", "-p:PublishReadyToRun=true", "--self-contained", "false"];

    /// <summary>The name the Dockerfile gives the apphost, its ENTRYPOINT.</summary>
    public const string EntrypointName = "function-app";

    // R2R compilation of the host and Npgsql on a busy two-core machine takes a minute or two; restore may also
    // have to fetch the runtime and crossgen packs. Generous, because a timeout here fails every test.
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(20);

    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> s_published = new(StringComparer.Ordinal);

    /// <summary>The folder holding the published app <c>functions/{app}</c> (Genesis, Agents or Migrate).</summary>
    public static Task<string> GetAsync(string app) =>
        s_published.GetOrAdd(app, name => new Lazy<Task<string>>(() => PublishAsync(name))).Value;

    /// <summary>The dotnet executable running these tests, so the app runs on the same SDK's runtime.</summary>
    public static string DotnetPath() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static async Task<string> PublishAsync(string app)
    {
        var root = RepositoryFolder.Root;
        var project = Path.Combine(root, "functions", app, $"Plant.{app}.csproj");
        if (!File.Exists(project))
        {
            throw new InvalidOperationException($"No function app project at {project}.");
        }

        var output = Directory.CreateTempSubdirectory($"plant-published-{app.ToLowerInvariant()}-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteQuietly(output);

        var cache = Path.Combine(Path.GetTempPath(), "plant-functions-tests-" + Hash(root));
        Directory.CreateDirectory(cache);
        using (await LockAsync(Path.Combine(cache, "publish.lock")))
        {
            var info = new ProcessStartInfo(DotnetPath())
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = root,
            };
            foreach (var argument in (string[])["publish", project, .. DockerfileFlags, "-o", output,
                "--artifacts-path", Path.Combine(cache, "artifacts"),
                // No compiler or MSBuild server left behind holding this process's output pipes open.
                "--disable-build-servers", "--nologo"])
            {
                info.ArgumentList.Add(argument);
            }

            // The test platform runs inside MSBuild's environment; a child build must find its own SDK.
            foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                info.Environment.Remove(key);
            }

            await RunAsync(info);
        }

        // As the Dockerfile does: one fixed entrypoint name for every app.
        File.Move(Path.Combine(output, $"Plant.{app}"), Path.Combine(output, EntrypointName));
        return output;
    }

    private static async Task RunAsync(ProcessStartInfo info)
    {
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start dotnet publish.");
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
            throw new TimeoutException($"dotnet publish did not finish within {PublishTimeout}.");
        }

        var output = await stdout + "\n" + await stderr;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', info.ArgumentList)} failed with exit code {process.ExitCode}:\n{output}");
        }
    }

    /// <summary>An exclusive lock on a file: FileShare.None takes an advisory lock (flock) on Unix too.</summary>
    private static async Task<FileStream> LockAsync(string path)
    {
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
        }
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    private static void DeleteQuietly(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception)
        {
            // Best effort: it is a temporary folder.
        }
    }
}

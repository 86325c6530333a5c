using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Plant.Docs.Tests.Support;
using Plant.Testing;

namespace Plant.Docs.Tests;

/// <summary>
/// The README's quick start, run as a reader runs it: every bash block of the section, in order, in one shell, from
/// a folder whose <c>.plant/keys</c> are the started host's, with <c>PLANT</c> naming that host.
/// </summary>
[Collection(LocalPlantCollection.Name)]
public sealed partial class ReadmeQuickStartTests(LocalPlant plant)
{
    [Fact]
    public async Task Every_block_of_the_quick_start_runs_against_a_started_host()
    {
        var blocks = QuickStartBlocks();
        Assert.True(blocks.Count >= 6, $"{blocks.Count} blocks in the quick start");
        Assert.All(blocks, block => Assert.DoesNotContain("...", block, StringComparison.Ordinal));

        var script = new StringBuilder("set -euo pipefail\n");
        for (var i = 0; i < blocks.Count; i++)
        {
            script.Append(System.Globalization.CultureInfo.InvariantCulture, $"echo '--- block {i + 1}'\n").Append(blocks[i]).Append('\n');
        }

        var (exit, output) = await RunAsync(script.ToString());

        Assert.True(exit == 0, $"exit {exit}:\n{output}");
        Assert.Contains($"--- block {blocks.Count}", output, StringComparison.Ordinal);
        // What each flow is for: a verified certificate, an amended and certified skill, a trial cancelled, the
        // migration log in its line format, a timer run.
        Assert.Contains("\"valid\": true", output, StringComparison.Ordinal);
        Assert.Contains("\"version\": 2", output, StringComparison.Ordinal);
        Assert.Contains("\"status\": \"cancelled\"", output, StringComparison.Ordinal);
        Assert.Matches(LogLine(), output);
        Assert.Contains("\"status\": \"succeeded\"", output, StringComparison.Ordinal);
    }

    /// <summary>The bodies of the <c>```bash</c> blocks between "## Quick start" and the next section.</summary>
    private static List<string> QuickStartBlocks()
    {
        var readme = File.ReadAllText(RepositoryFolder.Path("README.md")).ReplaceLineEndings("\n");
        var start = readme.IndexOf("\n## Quick start\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no \"## Quick start\" section.");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = readme[start..(end < 0 ? readme.Length : end)];
        return [.. BashBlock().Matches(section).Select(m => m.Groups[1].Value)];
    }

    private async Task<(int Exit, string Output)> RunAsync(string script)
    {
        var info = new ProcessStartInfo("bash", ["-c", script])
        {
            WorkingDirectory = plant.Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["PLANT"] = plant.Address.ToString().TrimEnd('/');
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex("```bash\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();

    [GeneratedRegex(@"\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\] local: \w+ \d{4} -> \d{4} - SUCCESS")]
    private static partial Regex LogLine();
}

using System.Text.RegularExpressions;
using Plant.Testing;

namespace Plant.Functions.Tests;

/// <summary>
/// No Docker engine runs here, so the image is checked by what the Dockerfile says: it publishes as
/// scripts/publish-aot.sh does (whose output the published-app tests run), into a small non-root image.
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly string s_dockerfile = File.ReadAllText(RepositoryFolder.Path("Dockerfile"));
    private static readonly string s_script = File.ReadAllText(RepositoryFolder.Path("scripts/publish-aot.sh"));

    [Fact]
    public void The_image_is_published_with_the_command_the_tests_publish_with()
    {
        Assert.Contains("dotnet publish functions/${FUNCTION_APP} -c Release -r linux-x64 --no-restore -o /app", s_dockerfile, StringComparison.Ordinal);
        Assert.Contains("dotnet publish \"$project\" -c Release -r linux-x64 -o", s_script, StringComparison.Ordinal);
        // The same native toolchain, from the same packages.
        Assert.Contains("apt-get install -y --no-install-recommends clang lld zlib1g-dev", s_dockerfile, StringComparison.Ordinal);
        Assert.Contains("for package in clang lld zlib1g-dev; do", s_script, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Genesis")]
    [InlineData("Agents")]
    [InlineData("Migrate")]
    public void Every_app_publishes_with_Native_AOT(string app)
    {
        var project = File.ReadAllText(RepositoryFolder.Path($"functions/{app}/Plant.{app}.csproj"));

        Assert.Contains("<PublishAot>true</PublishAot>", project, StringComparison.Ordinal);
    }

    [Fact]
    public void The_restore_layer_has_every_project_and_build_file_an_app_reads()
    {
        var copied = CopyLines().Matches(s_dockerfile).Select(m => m.Groups["source"].Value).ToHashSet(StringComparer.Ordinal);

        foreach (var project in Directory.GetFiles(RepositoryFolder.Path("shared"), "*.csproj", SearchOption.AllDirectories))
        {
            Assert.Contains(Path.GetRelativePath(RepositoryFolder.Root, project), copied);
        }

        Assert.Contains("functions/Directory.Build.targets", copied);
        Assert.Contains("functions/${FUNCTION_APP}/Plant.${FUNCTION_APP}.csproj", copied);
    }

    [Fact]
    public void The_image_runs_the_executable_as_a_non_root_user_on_runtime_deps()
    {
        Assert.Contains("FROM mcr.microsoft.com/dotnet/runtime-deps:${DOTNET_VERSION} AS runtime", s_dockerfile, StringComparison.Ordinal);
        Assert.DoesNotContain("dotnet/aspnet", s_dockerfile, StringComparison.Ordinal);
        Assert.Contains("mv /app/Plant.${FUNCTION_APP} /app/function-app", s_dockerfile, StringComparison.Ordinal);
        Assert.Contains("USER $APP_UID", s_dockerfile, StringComparison.Ordinal);
        Assert.EndsWith("ENTRYPOINT [\"/app/function-app\"]", s_dockerfile.TrimEnd(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^COPY (?<source>\S+) \S+/?$", RegexOptions.Multiline)]
    private static partial Regex CopyLines();
}

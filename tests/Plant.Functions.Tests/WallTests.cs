using System.Text.RegularExpressions;
using System.Xml.Linq;
using Plant.Testing;

namespace Plant.Functions.Tests;

/// <summary>
/// The house's walls, read from the project and source files: Plant.Core knows no web host and its namespaces form
/// no circle, Plant.Hosting knows no domain, and no function app references another.
/// </summary>
public sealed class WallTests
{
    [Fact]
    public void Plant_Core_references_no_web_host_and_no_other_project()
    {
        var project = Load("shared", "Plant.Core", "Plant.Core.csproj");

        Assert.Empty(References(project, "ProjectReference"));
        Assert.Empty(References(project, "FrameworkReference"));
        Assert.DoesNotContain(References(project, "PackageReference"), p => p.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void Plant_Hosting_references_no_Plant_project()
    {
        Assert.Empty(References(Load("shared", "Plant.Hosting", "Plant.Hosting.csproj"), "ProjectReference"));
    }

    [Theory]
    [InlineData("Genesis")]
    [InlineData("Agents")]
    [InlineData("Migrate")]
    public void A_function_app_references_the_core_and_the_host_only(string app)
    {
        var references = References(Load("functions", app, $"Plant.{app}.csproj"), "ProjectReference").Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(["Plant.Core.csproj", "Plant.Hosting.csproj"], references);
    }

    [Fact]
    public void Plant_Core_namespaces_depend_on_each_other_in_no_circle()
    {
        // Each Plant.Core.X namespace and the Plant.Core.Y namespaces its files name (usings or qualified names).
        var uses = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(RepositoryFolder.Path("shared", "Plant.Core"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            if (Regex.Match(text, @"^namespace Plant\.Core\.(\w+)", RegexOptions.Multiline) is not { Success: true } own)
            {
                continue;
            }

            var from = own.Groups[1].Value;
            var set = uses.TryGetValue(from, out var existing) ? existing : uses[from] = [];
            set.UnionWith(Regex.Matches(text, @"Plant\.Core\.(\w+)").Select(m => m.Groups[1].Value).Where(to => to != from));
        }

        foreach (var start in uses.Keys)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var queue = new Queue<string>(uses[start]);
            while (queue.TryDequeue(out var next))
            {
                Assert.False(next == start, $"Plant.Core.{start} depends on itself through other namespaces.");
                if (seen.Add(next) && uses.TryGetValue(next, out var further))
                {
                    foreach (var n in further)
                    {
                        queue.Enqueue(n);
                    }
                }
            }
        }
    }

    private static XDocument Load(params string[] path) => XDocument.Load(RepositoryFolder.Path(path));

    private static List<string> References(XDocument project, string kind) =>
        [.. project.Descendants(kind).Select(e => ((string?)e.Attribute("Include") ?? "").Replace('\\', '/'))];
}

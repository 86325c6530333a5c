using System.Xml.Linq;
using Plant.Testing;

namespace Plant.Functions.Tests;

/// <summary>
/// The house's walls, read from the project files: Plant.Core knows no web host, Plant.Hosting knows no domain,
/// and no function app references another.
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

    private static XDocument Load(params string[] path) => XDocument.Load(RepositoryFolder.Path(path));

    private static List<string> References(XDocument project, string kind) =>
        [.. project.Descendants(kind).Select(e => ((string?)e.Attribute("Include") ?? "").Replace('\\', '/'))];
}

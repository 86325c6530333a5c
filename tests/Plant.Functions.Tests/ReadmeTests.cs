using Plant.Testing;

namespace Plant.Functions.Tests;

/// <summary>The README's examples are the code as it is, so that they compile against today's host.</summary>
public sealed class ReadmeTests
{
    [Fact]
    public void The_function_sample_is_GetTrial_as_it_stands_in_the_code()
    {
        var readme = File.ReadAllText(RepositoryFolder.Path("README.md")).ReplaceLineEndings("\n");
        var source = File.ReadAllText(RepositoryFolder.Path("functions", "Agents", "Trials", "GetTrial.cs")).ReplaceLineEndings("\n");
        var sample = source[source.IndexOf("public sealed class GetTrial", StringComparison.Ordinal)..].TrimEnd() + "\n";

        Assert.Contains("```csharp\n" + sample + "```", readme, StringComparison.Ordinal);
    }
}

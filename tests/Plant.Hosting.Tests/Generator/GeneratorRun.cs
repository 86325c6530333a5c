using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Plant.Hosting.Generator;

namespace Plant.Hosting.Tests.Generator;

/// <summary>Compiles a source file with the function index generator, against the assemblies this test runs on.</summary>
internal sealed record GeneratorRun(string Source, ImmutableArray<Diagnostic> Diagnostics, ImmutableArray<Diagnostic> Compiled, string? Index)
{
    private static readonly Lazy<MetadataReference[]> s_references = new(() =>
        [.. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).Select(p => MetadataReference.CreateFromFile(p))]);

    public static GeneratorRun Of(string source)
    {
        var usings = """
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Http;
            using Microsoft.AspNetCore.Http.HttpResults;
            using Microsoft.Azure.Functions.Worker;
            using Microsoft.Extensions.Logging;

            """;
        var compilation = CSharpCompilation.Create(
            "Functions",
            [CSharpSyntaxTree.ParseText(usings + source, new CSharpParseOptions(LanguageVersion.Latest), path: "Functions.cs")],
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        CSharpGeneratorDriver.Create(new FunctionIndexGenerator())
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var index = output.SyntaxTrees.FirstOrDefault(t => t.FilePath.EndsWith("PlantFunctionIndex.g.cs", StringComparison.Ordinal))?.ToString();
        return new GeneratorRun(usings + source, diagnostics, [.. output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)], index);
    }

    /// <summary>The line of the source a diagnostic is reported on.</summary>
    public string LineOf(Diagnostic diagnostic)
    {
        var at = diagnostic.Location.GetLineSpan();
        Assert.Equal("Functions.cs", at.Path);
        return Source.Split('\n')[at.StartLinePosition.Line].Trim();
    }

    /// <summary>The one diagnostic the generator reported.</summary>
    public Diagnostic Error => Assert.Single(Diagnostics);
}

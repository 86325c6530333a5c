using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Plant.Hosting.Generator;

/// <summary>
/// The function index of a project, generated at compile time from its <c>[Function]</c> methods (as the worker
/// SDK's own generators do), so that the host needs no reflection to find, bind or call them, and a function it
/// could not serve is a compile error rather than a start-up failure.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class FunctionIndexGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var functions = context.SyntaxProvider.ForAttributeWithMetadataName(
            "Microsoft.Azure.Functions.Worker.FunctionAttribute",
            static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax,
            static (attributed, _) => FunctionReader.Read((IMethodSymbol)attributed.TargetSymbol, attributed.Attributes[0]));

        context.RegisterSourceOutput(functions.Collect(), static (output, results) =>
        {
            foreach (var diagnostic in results.SelectMany(r => r.Diagnostics))
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }

            var served = results.Select(r => r.Function).OfType<FunctionModel>()
                .OrderBy(f => f.Where, StringComparer.Ordinal).ThenBy(f => f.Name, StringComparer.Ordinal).ToList();
            var duplicates = Duplicates(served);
            foreach (var diagnostic in duplicates)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }

            if (served.Count > 0 && duplicates.Count == 0)
            {
                output.AddSource("PlantFunctionIndex.g.cs", IndexWriter.Write(served));
            }
        });
    }

    /// <summary>Function names are case-insensitive in Azure Functions (routes, admin API, FUNCTION_TARGET).</summary>
    private static List<DiagnosticInfo> Duplicates(List<FunctionModel> functions)
    {
        var seen = new Dictionary<string, FunctionModel>(StringComparer.OrdinalIgnoreCase);
        var found = new List<DiagnosticInfo>();
        foreach (var function in functions)
        {
            if (seen.TryGetValue(function.Name, out var first))
            {
                found.Add(new DiagnosticInfo(Diagnostics.DuplicateName.Id, function.Location, ImmutableArray.Create(function.Name, first.Where, function.Where)));
            }
            else
            {
                seen.Add(function.Name, function);
            }
        }

        return found;
    }
}

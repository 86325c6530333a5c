using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Plant.Hosting.Generator;

/// <summary>
/// Reads one <c>[Function]</c> method as Azure Functions reads it, and as the host serves it: its name, its one
/// trigger (the HTTP level, methods and route, or the timer attribute), and how each parameter gets its value: the
/// trigger, <c>FunctionContext</c>, the cancellation token, a route value of the same name, or (one complex parameter
/// of an HTTP function) the JSON body.
/// </summary>
internal static class FunctionReader
{
    private const string Worker = "Microsoft.Azure.Functions.Worker.";
    private const string HttpTrigger = Worker + "HttpTriggerAttribute";
    private const string TimerTrigger = Worker + "TimerTriggerAttribute";

    private static readonly SymbolDisplayFormat s_typeOf = SymbolDisplayFormat.FullyQualifiedFormat
        .WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers | SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    private static readonly Regex s_validName = new("^[A-Za-z][A-Za-z0-9_-]{0,127}$", RegexOptions.None, TimeSpan.FromSeconds(1));

    public static ReadResult Read(IMethodSymbol method, AttributeData function)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var location = LocationInfo.From(method.Locations.FirstOrDefault());
        var type = method.ContainingType;
        var where = $"{type.ToDisplayString()}.{method.Name}";
        var name = function.ConstructorArguments.FirstOrDefault().Value as string ?? "";

        void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, params string[] arguments) =>
            diagnostics.Add(new DiagnosticInfo(descriptor.Id, location, arguments.ToImmutableArray()));

        ReadResult Failed() => new(null, diagnostics.ToImmutableArray());

        if (!s_validName.IsMatch(name))
        {
            Report(Diagnostics.InvalidName, name, where);
            return Failed();
        }

        var shape = ShapeProblem(method);
        if (shape is not null)
        {
            Report(Diagnostics.Shape, name, where, shape);
            return Failed();
        }

        var triggers = method.Parameters.Where(p => Attribute(p, HttpTrigger) is not null || Attribute(p, TimerTrigger) is not null).ToList();
        if (triggers.Count != 1)
        {
            Report(Diagnostics.TriggerCount, name, triggers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return Failed();
        }

        var trigger = triggers[0];
        HttpModel? http = null;
        TimerModel? timer = null;
        List<string>? routeParameters = null;
        if (Attribute(trigger, HttpTrigger) is { } httpAttribute)
        {
            http = ReadHttp(name, trigger.Name, httpAttribute, Report);
            if (http is null)
            {
                return Failed();
            }

            var routeProblem = RouteTemplate.Check(http.Route, out routeParameters);
            if (routeProblem is null && (http.Route.Equals("admin", StringComparison.OrdinalIgnoreCase) || http.Route.StartsWith("admin/", StringComparison.OrdinalIgnoreCase)))
            {
                routeProblem = "admin/ is reserved for the host.";
            }

            if (routeProblem is not null)
            {
                Report(Diagnostics.Route, name, http.Route, routeProblem);
                return Failed();
            }
        }
        else
        {
            timer = new TimerModel(trigger.Name, AttributeExpression(Attribute(trigger, TimerTrigger)!));
        }

        var arguments = new List<ArgumentModel>();
        string? body = null;
        foreach (var parameter in method.Parameters)
        {
            var (binding, problem) = Bind(parameter, http is not null, routeParameters);
            if (binding == Binding.Body && problem is null && body is not null)
            {
                problem = $"only one parameter takes the JSON body, and '{body}' already does";
            }

            if (problem is not null)
            {
                Report(Diagnostics.Unbindable, name, parameter.Name, problem);
                return Failed();
            }

            body = binding == Binding.Body ? parameter.Name : body;
            arguments.Add(new ArgumentModel(parameter.Name, binding, TypeName(Underlying(parameter.Type))));
        }

        var (returns, result) = ReadReturn(method.ReturnType);
        var provides = result is not null && result.AllInterfaces.Any(i => i.ToDisplayString() == "Microsoft.AspNetCore.Http.Metadata.IEndpointMetadataProvider");
        var interfaces = type.AllInterfaces.Select(i => i.ToDisplayString()).ToList();
        return new ReadResult(new FunctionModel(
            name,
            TypeName(type),
            method.Name,
            method.IsStatic,
            method.IsStatic ? Disposal.None
                : interfaces.Contains("System.IAsyncDisposable") ? Disposal.DisposeAsync
                : interfaces.Contains("System.IDisposable") ? Disposal.Dispose : Disposal.None,
            method.Parameters.Select(p => TypeName(p.Type)).ToImmutableArray(),
            arguments.ToImmutableArray(),
            http,
            timer,
            arguments.FirstOrDefault(a => a.Binding == Binding.Body)?.Type,
            returns,
            provides ? TypeName(result!) : null,
            where,
            location), ImmutableArray<DiagnosticInfo>.Empty);
    }

    private static string? ShapeProblem(IMethodSymbol method)
    {
        var type = method.ContainingType;
        if (method.DeclaredAccessibility != Accessibility.Public)
        {
            return "the method must be public";
        }

        if (method.IsGenericMethod || type.TypeKind != TypeKind.Class || IsGenericAnywhere(type))
        {
            return "it must be a non-generic method of a non-generic class";
        }

        if (type.IsAbstract && !method.IsStatic)
        {
            return "an instance method needs a concrete class";
        }

        for (var t = type; t is not null; t = t.ContainingType)
        {
            if (t.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal))
            {
                return $"its class {t.Name} must be public or internal";
            }
        }

        return null;
    }

    private static bool IsGenericAnywhere(INamedTypeSymbol? type)
    {
        for (; type is not null; type = type.ContainingType)
        {
            if (type.IsGenericType)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The level as Azure reads it: <c>[HttpTrigger("get")]</c> leaves the level out of the worker's metadata, and
    /// Azure's host then takes Function. User and System have no meaning outside Azure's host: refused.
    /// </summary>
    private static HttpModel? ReadHttp(string name, string parameter, AttributeData attribute, Action<Microsoft.CodeAnalysis.DiagnosticDescriptor, string[]> report)
    {
        var level = "Function";
        var methods = new List<string>();
        foreach (var argument in attribute.ConstructorArguments)
        {
            if (argument.Kind == TypedConstantKind.Enum)
            {
                level = EnumName(argument);
            }
            else if (argument.Kind == TypedConstantKind.Array)
            {
                methods.AddRange(argument.Values.Select(v => v.Value as string ?? ""));
            }
        }

        string? route = null;
        foreach (var named in attribute.NamedArguments)
        {
            switch (named.Key)
            {
                case "Methods" when !named.Value.IsNull:
                    methods = [.. named.Value.Values.Select(v => v.Value as string ?? "")];
                    break;
                case "Route":
                    route = named.Value.Value as string;
                    break;
            }
        }

        if (level is not ("Anonymous" or "Function" or "Admin"))
        {
            report(Diagnostics.Level, [name, level]);
            return null;
        }

        var bad = methods.FirstOrDefault(m => m.Length == 0 || !m.All(c => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z'));
        if (bad is not null)
        {
            report(Diagnostics.HttpMethod, [name, bad]);
            return null;
        }

        return new HttpModel(parameter, level, methods.Select(m => m.ToUpperInvariant()).Distinct().ToImmutableArray(), (route ?? name).Trim('/'));
    }

    private static string EnumName(TypedConstant value) =>
        value.Type?.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, value.Value))?.Name
        ?? value.Value?.ToString() ?? "";

    private static (Binding Binding, string? Problem) Bind(IParameterSymbol parameter, bool isHttp, List<string>? route)
    {
        var type = parameter.Type;
        var typeName = type.ToDisplayString(NullableFlowState.None);
        if (parameter.RefKind != RefKind.None)
        {
            return (default, "a ref, out or in parameter cannot be bound");
        }

        if (Attribute(parameter, HttpTrigger) is not null)
        {
            return Is(type, "Microsoft.AspNetCore.Http.HttpRequest") ? (Binding.HttpRequest, null) : (default, $"[HttpTrigger] binds an HttpRequest parameter, not {typeName}");
        }

        if (Attribute(parameter, TimerTrigger) is not null)
        {
            return Is(type, Worker + "TimerInfo") ? (Binding.TimerInfo, null) : (default, $"[TimerTrigger] binds a TimerInfo parameter, not {typeName}");
        }

        if (Is(type, Worker + "FunctionContext"))
        {
            return (Binding.FunctionContext, null);
        }

        if (Is(type, "System.Threading.CancellationToken"))
        {
            return (Binding.CancellationToken, null);
        }

        if (isHttp && Is(type, "Microsoft.AspNetCore.Http.HttpContext"))
        {
            return (Binding.HttpContext, null);
        }

        var underlying = Underlying(type);
        var nullable = !SymbolEqualityComparer.Default.Equals(underlying, type) && type.IsValueType;
        if (route is not null && route.Contains(parameter.Name, StringComparer.OrdinalIgnoreCase) && IsSimple(underlying))
        {
            return underlying.SpecialType == SpecialType.System_String ? (Binding.RouteString, null)
                : underlying.TypeKind == TypeKind.Enum ? (nullable ? Binding.RouteNullableEnum : Binding.RouteEnum, null)
                : (nullable ? Binding.RouteNullableValue : Binding.RouteValue, null);
        }

        if (isHttp && !IsSimple(underlying) && !IsContextType(type))
        {
            // An interface or abstract type cannot come from JSON; an ILogger parameter (the in-process model's
            // habit) would otherwise turn into a body that no request can satisfy.
            return type.IsAbstract || type.TypeKind is TypeKind.Interface or TypeKind.TypeParameter or TypeKind.Pointer or TypeKind.FunctionPointer or TypeKind.Dynamic
                ? (default, $"a JSON body needs a concrete type, and {type.Name} is abstract (a logger comes from FunctionContext.GetLogger)")
                : (Binding.Body, null);
        }

        return (default, "only the trigger, FunctionContext, CancellationToken, route values and one JSON body can be bound");
    }

    /// <summary>Whether a type is bound from a route value rather than from the body.</summary>
    private static bool IsSimple(ITypeSymbol type) =>
        type.TypeKind == TypeKind.Enum
        || type.SpecialType is SpecialType.System_String or SpecialType.System_Boolean or SpecialType.System_Char
            or SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16 or SpecialType.System_UInt16
            or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64
            or SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Decimal or SpecialType.System_DateTime
            or SpecialType.System_IntPtr or SpecialType.System_UIntPtr
        || Is(type, "System.Guid") || Is(type, "System.DateTimeOffset") || Is(type, "System.DateOnly") || Is(type, "System.TimeSpan");

    private static bool IsContextType(ITypeSymbol type) =>
        Is(type, "Microsoft.AspNetCore.Http.HttpRequest") || Is(type, "Microsoft.AspNetCore.Http.HttpContext")
        || Is(type, Worker + "FunctionContext") || Is(type, "System.Threading.CancellationToken") || Is(type, Worker + "TimerInfo");

    private static (ReturnKind Kind, ITypeSymbol? Result) ReadReturn(ITypeSymbol type)
    {
        if (type.SpecialType == SpecialType.System_Void)
        {
            return (ReturnKind.Void, null);
        }

        if (Is(type, "System.Threading.Tasks.Task") || Is(type, "System.Threading.Tasks.ValueTask"))
        {
            return (ReturnKind.Task, null);
        }

        if (type is INamedTypeSymbol { IsGenericType: true } generic
            && (Is(generic.ConstructedFrom, "System.Threading.Tasks.Task`1") || Is(generic.ConstructedFrom, "System.Threading.Tasks.ValueTask`1")))
        {
            return (ReturnKind.TaskOfValue, generic.TypeArguments[0]);
        }

        return (ReturnKind.Value, type);
    }

    private static ITypeSymbol Underlying(ITypeSymbol type) =>
        type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : type;

    private static bool Is(ITypeSymbol type, string metadataName) =>
        type.ContainingNamespace is not null && $"{type.ContainingNamespace.ToDisplayString()}.{type.MetadataName}" == metadataName;

    private static AttributeData? Attribute(IParameterSymbol parameter, string metadataName) =>
        parameter.GetAttributes().FirstOrDefault(a => a.AttributeClass is { } c && Is(c, metadataName));

    /// <summary>A type as generated code names it: fully qualified, without nullable reference annotations (typeof refuses them).</summary>
    private static string TypeName(ITypeSymbol type) => type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(s_typeOf);

    /// <summary>The attribute as written, as a constructor call with its named arguments.</summary>
    private static string AttributeExpression(AttributeData attribute)
    {
        var arguments = string.Join(", ", attribute.ConstructorArguments.Select(Literal));
        var named = string.Join(", ", attribute.NamedArguments.Select(n => $"{n.Key} = {Literal(n.Value)}"));
        return $"new {TypeName(attribute.AttributeClass!)}({arguments})" + (named.Length == 0 ? "" : $" {{ {named} }}");
    }

    private static string Literal(TypedConstant value) => value.IsNull ? "null" : value.Value switch
    {
        string s => SymbolDisplay.FormatLiteral(s, quote: true),
        bool b => b ? "true" : "false",
        _ => value.ToCSharpString(),
    };
}

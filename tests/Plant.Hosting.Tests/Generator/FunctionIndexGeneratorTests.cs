using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Plant.Hosting.Generator;

namespace Plant.Hosting.Tests.Generator;

/// <summary>
/// A function the host could not serve is a compile error naming it: names, triggers, levels, methods, routes and
/// bindings are checked by the generator when the app is built, as Azure Functions would read them.
/// </summary>
public sealed class FunctionIndexGeneratorTests
{
    private static string Function(string name, string parameters, string returns = "void", string body = "{ }") => $$"""
        namespace App;

        public sealed class Functions
        {
            [Function({{name}})]
            public static {{returns}} Run({{parameters}}) {{body}}
        }
        """;

    private const string Get = """[HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request""";

    [Theory]
    [InlineData("1Function")]
    [InlineData("My Function")]
    [InlineData("")]
    [InlineData("F12345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678")] // 129 characters; Azure takes at most 128
    public void An_invalid_function_name_is_a_compile_error_on_the_method(string name)
    {
        var run = GeneratorRun.Of(Function($"\"{name}\"", Get));
        var error = run.Error;

        Assert.Equal("PLANT001", error.Id);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Contains($"'{name}'", error.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("must start with a letter", error.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("App.Functions.Run", error.GetMessage(), StringComparison.Ordinal);
        // Reported on the method, where the fix goes.
        Assert.StartsWith("public static void Run(", run.LineOf(error), StringComparison.Ordinal);
    }

    [Fact]
    public void Two_functions_whose_names_differ_only_in_case_are_a_compile_error_naming_both()
    {
        var run = GeneratorRun.Of("""
            namespace App;

            public sealed class First
            {
                [Function("Twice")]
                public static void Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "one")] HttpRequest request) { }
            }

            public sealed class Second
            {
                [Function("twice")]
                public static void Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "two")] HttpRequest request) { }
            }
            """);

        Assert.Equal("PLANT002", run.Error.Id);
        Assert.Contains("App.First.Run", run.Error.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("App.Second.Run", run.Error.GetMessage(), StringComparison.Ordinal);
        Assert.Null(run.Index);
    }

    [Theory]
    [InlineData("""[HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request, [TimerTrigger("0 * * * * *")] TimerInfo timer""", "it has 2")]
    [InlineData("FunctionContext context", "it has 0")]
    public void A_function_without_exactly_one_trigger_is_a_compile_error(string parameters, string count)
    {
        var error = GeneratorRun.Of(Function("\"Run\"", parameters)).Error;

        Assert.Equal("PLANT003", error.Id);
        Assert.Contains("exactly one trigger", error.GetMessage(), StringComparison.Ordinal);
        Assert.Contains(count, error.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "items/{id}")] HttpRequest request, int count""", "count", "route values")]
    [InlineData("""[HttpTrigger(AuthorizationLevel.Anonymous, "post")] HttpRequest request, Item first, Item second""", "second", "'first' already does")]
    [InlineData("""[HttpTrigger(AuthorizationLevel.Anonymous, "post")] HttpRequest request, ILogger log""", "log", "FunctionContext.GetLogger")]
    [InlineData("""[TimerTrigger("0 * * * * *")] TimerInfo timer, Item item""", "item", "one JSON body")]
    [InlineData("""[TimerTrigger("0 * * * * *")] TimerInfo timer, HttpContext http""", "http", "one JSON body")]
    [InlineData("""[HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpContext context""", "context", "binds an HttpRequest")]
    [InlineData("""[TimerTrigger("0 * * * * *")] string timer""", "timer", "binds a TimerInfo")]
    [InlineData("""[HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "items/{id}")] HttpRequest request, ref int id""", "id", "ref, out or in")]
    public void A_parameter_the_host_cannot_bind_is_a_compile_error_naming_it(string parameters, string parameter, string why)
    {
        var error = GeneratorRun.Of(Function("\"Run\"", parameters) + "\npublic sealed record Item(string Name);").Error;

        Assert.Equal("PLANT008", error.Id);
        Assert.Contains("Function 'Run'", error.GetMessage(), StringComparison.Ordinal);
        Assert.Contains($"parameter '{parameter}'", error.GetMessage(), StringComparison.Ordinal);
        Assert.Contains(why, error.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("items/{id", "not closed")]
    [InlineData("items/{id:nosuch}", "'nosuch'")]
    [InlineData("items/{n:min(abc)}", "'abc' is not a whole number")]
    [InlineData("items/{n:range(5)}", "range takes 2 numbers")]
    [InlineData("items/{n:regex(()}", "not a regular expression")]
    [InlineData("items//all", "empty")]
    [InlineData("items/{id}/{ID}", "appears twice")]
    [InlineData("items/{a}{b}", "literal text between")]
    [InlineData("files/{*path}/more", "last segment")]
    [InlineData("items}", "closes no parameter")]
    [InlineData("items?all", "'?'")]
    [InlineData("admin/functions/x", "admin/")]
    [InlineData("Admin", "admin/")]
    public void An_invalid_route_is_a_compile_error_naming_the_function_and_the_route(string route, string why)
    {
        var error = GeneratorRun.Of(Function("\"Run\"", $"""[HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "{route}")] HttpRequest request""")).Error;

        Assert.Equal("PLANT007", error.Id);
        Assert.Contains($"Function 'Run' has an invalid route '{route}'", error.GetMessage(), StringComparison.Ordinal);
        Assert.Contains(why, error.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[HttpTrigger(AuthorizationLevel.User, "get")] HttpRequest request""", "PLANT005", "the authorization level User")]
    [InlineData("""[HttpTrigger(AuthorizationLevel.System, "get")] HttpRequest request""", "PLANT005", "the authorization level System")]
    [InlineData("""[HttpTrigger(AuthorizationLevel.Anonymous, "get", "po st")] HttpRequest request""", "PLANT006", "the HTTP method 'po st'")]
    [InlineData("""[HttpTrigger(AuthorizationLevel.Anonymous, "")] HttpRequest request""", "PLANT006", "the HTTP method ''")]
    public void A_trigger_Plant_cannot_serve_as_Azure_would_is_a_compile_error(string parameters, string id, string message)
    {
        var error = GeneratorRun.Of(Function("\"Run\"", parameters)).Error;

        Assert.Equal(id, error.Id);
        Assert.StartsWith($"Function 'Run' {(id == "PLANT005" ? "has" : "lists")} {message}", error.GetMessage(), StringComparison.Ordinal);

    }

    [Theory]
    [InlineData("""
        public sealed class Functions
        {
            [Function("Run")]
            internal static void Run([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request) { }
        }
        """, "must be public")]
    [InlineData("""
        public sealed class Functions
        {
            [Function("Run")]
            public static void Run<T>([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request) { }
        }
        """, "non-generic")]
    [InlineData("""
        public abstract class Functions
        {
            [Function("Run")]
            public void Run([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request) { }
        }
        """, "concrete class")]
    [InlineData("""
        public sealed class Outer
        {
            private sealed class Functions
            {
                [Function("Run")]
                public static void Run([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request) { }
            }
        }
        """, "public or internal")]
    public void A_method_the_index_cannot_call_is_a_compile_error(string source, string why)
    {
        var error = GeneratorRun.Of("namespace App;\n" + source).Error;

        Assert.Equal("PLANT004", error.Id);
        Assert.Contains("Function 'Run'", error.GetMessage(), StringComparison.Ordinal);
        Assert.Contains(why, error.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_binding_the_host_serves_compiles_into_an_index_with_no_reflection()
    {
        var run = GeneratorRun.Of("""
            namespace App;

            public enum Colour { Red, Green }

            public sealed record Item(string Name);

            public sealed class Functions(ILoggerFactory loggers) : IAsyncDisposable
            {
                [Function("Everything")]
                public async Task<Results<Ok<Item>, NotFound>> Everything(
                    [HttpTrigger(AuthorizationLevel.Admin, "post", "PUT", "post", Route = "things/{id:guid}/{n:int}/{colour}/{when?}/{name:regex(^[a-z]{{2,}}$)}")] HttpRequest request,
                    Guid id, int n, Colour colour, DateOnly? when, string name, Item item, HttpContext http, FunctionContext context, CancellationToken cancellationToken)
                {
                    await Task.Yield();
                    return TypedResults.Ok(item);
                }

                [Function("Tick")]
                public static void Tick([TimerTrigger("%TICK%", RunOnStartup = true)] TimerInfo timer, FunctionContext context) { }

                [Function("Plain")]
                public static string Plain([HttpTrigger("get")] HttpRequest request) => "plain";

                [Function("@class")]
                public ValueTask<int> @class([HttpTrigger(AuthorizationLevel.Anonymous)] HttpRequest request) => ValueTask.FromResult(1);

                public ValueTask DisposeAsync() => ValueTask.CompletedTask;
            }
            """.Replace("\"@class\"", "\"Keyword\"", StringComparison.Ordinal));

        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.Compiled);
        var index = run.Index!;
        Assert.Contains("""HttpMethods = ["POST", "PUT"],""", index, StringComparison.Ordinal);
        Assert.Contains("AuthLevel = global::Microsoft.Azure.Functions.Worker.AuthorizationLevel.Admin,", index, StringComparison.Ordinal);
        // Written without a level: Function, as Azure's host reads the worker's metadata.
        Assert.Contains("AuthLevel = global::Microsoft.Azure.Functions.Worker.AuthorizationLevel.Function,", index, StringComparison.Ordinal);
        Assert.Contains("""call.RouteValue<global::System.Guid>("id").GetValueOrDefault()""", index, StringComparison.Ordinal);
        Assert.Contains("""call.RouteEnum<global::App.Colour>("colour").GetValueOrDefault()""", index, StringComparison.Ordinal);
        Assert.Contains("""call.RouteValue<global::System.DateOnly>("when");""", index, StringComparison.Ordinal);
        Assert.Contains("""call.RouteString("name")""", index, StringComparison.Ordinal);
        Assert.Contains("await call.ReadBodyAsync<global::App.Item>()", index, StringComparison.Ordinal);
        Assert.Contains("await using var instance", index, StringComparison.Ordinal);
        Assert.Contains("""Timer = new global::Microsoft.Azure.Functions.Worker.TimerTriggerAttribute("%TICK%") { RunOnStartup = true },""", index, StringComparison.Ordinal);
        Assert.Contains("MetadataOf<global::Microsoft.AspNetCore.Http.HttpResults.Results<", index, StringComparison.Ordinal);
        Assert.Contains("instance.@class()", index.Replace("(a0)", "()", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("MethodInfo.Invoke", index, StringComparison.Ordinal);
    }

    /// <summary>Routes the generator accepts, and ASP.NET Core's parser and default constraints accept too.</summary>
    public static TheoryData<string> ValidRoutes =>
    [
        "", "items", "items/{id}", "items/{id:guid}", "items/{id?}", "items/{id=7}", "files/{*path}", "files/{**path}",
        "{a}.{b}", "items/{n:int:min(1):max(10)}", "items/{s:length(2)}", "items/{s:length(2,8)}", "items/{s:minlength(1):maxlength(9)}",
        "items/{n:range(1,5)}", "items/{s:alpha}", "items/{d:datetime}/{x:decimal}/{y:double}/{z:float}/{l:long}/{b:bool}",
        "items/{s:regex(^[a-z]{{2,}}$)}", "items/{s:required}", "items/{f:file}", "items/{f:nonfile}", "items/{id:GUID}",
        "v1/genesis/{type}/{id:guid}/certify", "literal{{braces}}",
    ];

    [Theory]
    [MemberData(nameof(ValidRoutes))]
    public void A_route_the_generator_accepts_is_one_ASP_NET_Core_serves(string route)
    {
        Assert.Null(RouteTemplate.Check(route, out _));

        var pattern = RoutePatternFactory.Parse(route);
        using var services = new ServiceCollection().AddRouting().BuildServiceProvider();
        var resolver = services.GetRequiredService<IInlineConstraintResolver>();
        foreach (var policy in pattern.Parameters.SelectMany(p => p.ParameterPolicies))
        {
            Assert.NotNull(resolver.ResolveConstraint(policy.Content!));
        }
    }

    [Fact]
    public void The_route_parameters_are_what_binds_from_the_route()
    {
        Assert.Null(RouteTemplate.Check("v1/{type}/{id:guid}/x{n:int}y/{*rest}", out var parameters));

        Assert.Equal(["type", "id", "n", "rest"], parameters);
    }
}

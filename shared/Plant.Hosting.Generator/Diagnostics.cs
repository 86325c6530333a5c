using System.Linq;
using Microsoft.CodeAnalysis;

namespace Plant.Hosting.Generator;

/// <summary>
/// What the generator refuses, as compile errors: each names the function and says what to change. They are the
/// host's old start-up checks, moved to the moment the app is built.
/// </summary>
internal static class Diagnostics
{
    private const string Category = "Plant.Functions";

    public static readonly DiagnosticDescriptor InvalidName = Error("PLANT001", "Invalid function name",
        "Function name '{0}' on {1} is invalid: it must start with a letter and hold only letters, digits, '_' and '-', at most 128 characters");

    public static readonly DiagnosticDescriptor DuplicateName = Error("PLANT002", "Function name used twice",
        "Function name '{0}' is used twice: by {1} and by {2} (names are compared ignoring case)");

    public static readonly DiagnosticDescriptor TriggerCount = Error("PLANT003", "Not exactly one trigger",
        "Function '{0}' must have exactly one trigger parameter ([HttpTrigger] or [TimerTrigger]); it has {1}");

    public static readonly DiagnosticDescriptor Shape = Error("PLANT004", "Function method the host cannot call",
        "Function '{0}' on {1} cannot be served: {2}");

    public static readonly DiagnosticDescriptor Level = Error("PLANT005", "Authorization level Plant does not serve",
        "Function '{0}' has the authorization level {1}, which Plant does not serve (Azure gives it meaning only behind its own front end): use Anonymous, Function or Admin");

    public static readonly DiagnosticDescriptor HttpMethod = Error("PLANT006", "Not an HTTP method",
        "Function '{0}' lists the HTTP method '{1}', which is not a method name");

    public static readonly DiagnosticDescriptor Route = Error("PLANT007", "Invalid route",
        "Function '{0}' has an invalid route '{1}': {2}");

    public static readonly DiagnosticDescriptor Unbindable = Error("PLANT008", "Parameter that cannot be bound",
        "Function '{0}': parameter '{1}' cannot be bound: {2}");

    private static readonly DiagnosticDescriptor[] s_all = [InvalidName, DuplicateName, TriggerCount, Shape, Level, HttpMethod, Route, Unbindable];

    public static DiagnosticDescriptor ById(string id) => s_all.Single(d => d.Id == id);

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}

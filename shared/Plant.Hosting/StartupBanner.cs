using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Plant.Hosting.Functions;
using Plant.Hosting.Http;

namespace Plant.Hosting;

/// <summary>Lists the functions and their URLs once the host listens, the way <c>func start</c> does.</summary>
internal static class StartupBanner
{
    public static void Print(WebApplication app, IReadOnlyList<FunctionDescriptor> functions, HostSettings settings, FunctionKeys keys)
    {
        var address = FunctionHost.GetAddress(app).ToString().TrimEnd('/');
        var lines = functions.OrderBy(f => f.AppName, StringComparer.Ordinal).ThenBy(f => f.Name, StringComparer.Ordinal).Select(f => f.Http is not null
            ? $"{f.Name}: [{(f.Http.Methods.Count == 0 ? "ALL" : string.Join(",", f.Http.Methods).ToUpperInvariant())}] {address}/{HttpFunctionEndpoints.Pattern(f, settings.RoutePrefix)}"
            : $"{f.Name}: timerTrigger ({f.Timer!.Expression}){(settings.TimersInProcess ? "" : ", driven by POST /admin/functions/" + f.Name)}").ToList();

        if (settings.JsonLogs)
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Plant.Hosting");
            foreach (var line in lines)
            {
                logger.LogInformation("Function {Function}", line);
            }

            return;
        }

        // Local text mode only: the console belongs to the developer who started the host.
        Console.WriteLine();
        Console.WriteLine("Functions:");
        foreach (var line in lines)
        {
            Console.WriteLine();
            Console.WriteLine($"        {line}");
        }

        Console.WriteLine();
        if (keys.LocalKeys is var (master, function))
        {
            Console.WriteLine($"Local keys (kept in {keys.GeneratedFolder}): call with header x-functions-key or ?code=");
            Console.WriteLine($"        function key: {function}");
            Console.WriteLine($"        master key:   {master}");
            Console.WriteLine();
        }
    }
}

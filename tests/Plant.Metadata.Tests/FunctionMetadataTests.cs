using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Plant.Agents;
using Plant.Genesis;
using Plant.Hosting;
using Plant.Hosting.Functions;
using Plant.Migrate;

namespace Plant.Metadata.Tests;

/// <summary>
/// Azure sees what Plant serves: functions.metadata, which Azure's worker Sdk wrote when it built this project (the
/// index Azure's host reads), names exactly the functions Plant.Hosting serves, each with the same trigger, route,
/// methods, level and schedule.
/// </summary>
public sealed class FunctionMetadataTests
{
    private static readonly FunctionApp[] s_apps =
        [GenesisApp.Definition, AgentsApp.Definition, MigrateApp.Definition, new FunctionApp("Samples", [typeof(Samples)])];

    /// <summary>A function as a host serves it; the route without the prefix, the methods upper case and sorted.</summary>
    private sealed record Served(string Assembly, string EntryPoint, string Trigger, string? AuthLevel, string? Methods, string? Route, string? Schedule, bool RunOnStartup, bool UseMonitor);

    [Fact]
    public void Every_function_is_served_by_Plant_exactly_as_Azure_s_metadata_describes_it()
    {
        var settings = new ConfigurationBuilder().AddInMemoryCollection(s_apps.SelectMany(a => a.DefaultSettings)).Build();
        var azure = ReadMetadata(settings);
        var plant = FunctionIndexer.Index(s_apps, settings).ToDictionary(f => f.Name, Serve);

        Assert.Equal(azure.Keys.Order(), plant.Keys.Order());
        Assert.All(azure, function => Assert.Equal(function.Value, plant[function.Key]));
        // Every app is there, the samples of Azure's special readings too.
        Assert.Equal(["Plant.Agents.dll", "Plant.Genesis.dll", "Plant.Metadata.Tests.dll", "Plant.Migrate.dll"], azure.Values.Select(f => f.Assembly).Distinct().Order());
        Assert.Equal(new Served("Plant.Metadata.Tests.dll", "Plant.Metadata.Tests.Samples.NoLevel", "httpTrigger", "Function", "GET", "SampleNoLevel", null, false, true), azure["SampleNoLevel"]);
    }

    private static Served Serve(FunctionDescriptor f) => new(
        Path.GetFileName(f.Definition.PathToAssembly),
        f.Definition.EntryPoint,
        f.Http is null ? "timerTrigger" : "httpTrigger",
        f.Http?.AuthLevel.ToString(),
        f.Http is null ? null : string.Join(",", f.Http.Methods.Order()),
        f.Route,
        f.Timer?.Expression,
        f.Timer?.RunOnStartup ?? false,
        f.Timer?.UseMonitor ?? true);

    /// <summary>
    /// The file as Azure's host reads it: a level left out is Function, methods left out are all, a route left out is
    /// the name; a timer's <c>%Setting%</c> is the setting's value; runOnStartup defaults to false, useMonitor to true.
    /// </summary>
    private static Dictionary<string, Served> ReadMetadata(IConfiguration settings)
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata")));
        var functions = new Dictionary<string, Served>();
        foreach (var function in file.RootElement.EnumerateArray())
        {
            var name = function.GetProperty("name").GetString()!;
            var trigger = function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
            var type = trigger.GetProperty("type").GetString()!;
            var http = type == "httpTrigger";
            var schedule = trigger.TryGetProperty("schedule", out var s) ? s.GetString()! : null;
            if (schedule is { Length: > 2 } && schedule.StartsWith('%') && schedule.EndsWith('%'))
            {
                schedule = settings[schedule[1..^1]];
            }

            functions.Add(name, new Served(
                function.GetProperty("scriptFile").GetString()!,
                function.GetProperty("entryPoint").GetString()!,
                type,
                http ? (trigger.TryGetProperty("authLevel", out var level) ? level.GetString() : "Function") : null,
                http ? string.Join(",", trigger.TryGetProperty("methods", out var methods) ? methods.EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).Order() : []) : null,
                http ? (trigger.TryGetProperty("route", out var route) ? route.GetString()!.Trim('/') : name) : null,
                schedule,
                trigger.TryGetProperty("runOnStartup", out var startup) && startup.GetBoolean(),
                !trigger.TryGetProperty("useMonitor", out var monitor) || monitor.GetBoolean()));
        }

        return functions;
    }
}

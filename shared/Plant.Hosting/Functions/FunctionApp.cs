using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Plant.Hosting.Functions;

namespace Plant.Hosting;

/// <summary>
/// A function app: the classes holding its functions and the services they need. A process serves one app in
/// its container, or all of them together locally.
/// </summary>
public sealed class FunctionApp
{
    public FunctionApp(string name, IEnumerable<Type> functionTypes, Action<IServiceCollection, IConfiguration>? configureServices = null, IJsonTypeInfoResolver? json = null)
    {
        Name = name;
        FunctionTypes = [.. functionTypes];
        ConfigureServices = configureServices ?? ((_, _) => { });
        Json = json;
    }

    public string Name { get; }

    public IReadOnlyList<Type> FunctionTypes { get; }

    public Action<IServiceCollection, IConfiguration> ConfigureServices { get; }

    /// <summary>
    /// The source-generated JSON metadata of the app's bodies, answers and problem members (a JsonSerializerContext):
    /// the host reads and writes JSON with it before its own, with no reflection.
    /// </summary>
    public IJsonTypeInfoResolver? Json { get; }

    /// <summary>
    /// Settings the app falls back to when neither the environment nor local.settings.json sets them, such as the
    /// default of a <c>%Setting%</c> timer schedule. They sit below every other configuration source.
    /// </summary>
    public IReadOnlyDictionary<string, string?> DefaultSettings { get; init; } = new Dictionary<string, string?>();

    /// <summary>This app with <see cref="DefaultSettings"/>.</summary>
    public FunctionApp WithDefaultSettings(IReadOnlyDictionary<string, string?> defaults) =>
        new(Name, FunctionTypes, ConfigureServices, Json) { DefaultSettings = defaults };

    /// <summary>Every class in the assembly with a <see cref="FunctionAttribute"/> method, as its generated index lists them.</summary>
    public static FunctionApp FromAssembly(string name, Assembly assembly, Action<IServiceCollection, IConfiguration>? configureServices = null, IJsonTypeInfoResolver? json = null) =>
        new(name, FunctionIndex.ClassesIn(assembly), configureServices, json);
}

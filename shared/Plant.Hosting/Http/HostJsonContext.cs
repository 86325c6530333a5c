using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Plant.Hosting.Http;

/// <summary>
/// The JSON the host writes itself, source-generated (no reflection, as Native AOT needs): health, readiness, the
/// admin API's answer, problems and the values their extension members carry.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(HealthEndpoints.Alive))]
[JsonSerializable(typeof(HealthEndpoints.Ready))]
[JsonSerializable(typeof(AdminEndpoints.AdminInvocation))]
[JsonSerializable(typeof(AppHealth))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(Guid))]
[JsonSerializable(typeof(DateTimeOffset))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(List<string>))]
internal sealed partial class HostJsonContext : JsonSerializerContext
{
    /// <summary>What a host serving <paramref name="apps"/> (de)serializes with: each app's metadata, then the host's.</summary>
    public static IJsonTypeInfoResolver ResolverFor(IEnumerable<FunctionApp> apps) =>
        JsonTypeInfoResolver.Combine([.. apps.Select(a => a.Json).OfType<IJsonTypeInfoResolver>(), Default]);

    /// <summary>The web defaults with <see cref="ResolverFor"/>, for code that runs without a host (the build's OpenAPI document).</summary>
    public static JsonSerializerOptions OptionsFor(IEnumerable<FunctionApp> apps) =>
        new(JsonSerializerDefaults.Web) { TypeInfoResolver = ResolverFor(apps) };
}

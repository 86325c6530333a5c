using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Plant.Testing;

/// <summary>
/// JSON for test code: web names, by reflection, named explicitly. The test processes run with reflection-based
/// serialization off by default, as the apps do (tests/Directory.Build.props), so that only the apps' own
/// source-generated metadata serves the apps; test code's ad-hoc bodies (anonymous objects) take this instead.
/// </summary>
public static class TestJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    /// <summary>A request body of <paramref name="body"/> as <c>application/json</c>.</summary>
    public static JsonContent Content(object body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return JsonContent.Create(body, body.GetType(), options: Options);
    }
}

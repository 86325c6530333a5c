using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;

namespace Plant.Hosting.OpenApi;

/// <summary>
/// The document's <c>components/schemas</c>: each body or answer type once, as System.Text.Json's exporter describes
/// it under the options that actually (de)serialize it, referred to by <c>$ref</c>.
/// </summary>
/// <param name="bodies">What request bodies are read with.</param>
/// <param name="answers">What answers are written with.</param>
internal sealed class SchemaComponents(JsonSerializerOptions bodies, JsonSerializerOptions answers)
{
    public const string Problem = "Problem";

    private static readonly JsonSchemaExporterOptions s_exporter = new() { TreatNullObliviousAsNonNullable = true };

    private readonly SortedDictionary<string, JsonNode> _schemas = new(StringComparer.Ordinal) { [Problem] = ProblemSchema() };
    private readonly Dictionary<Type, string> _names = [];

    public static JsonObject ReferenceTo(string name) => new() { ["$ref"] = "#/components/schemas/" + name };

    /// <summary>A reference to the schema of <paramref name="type"/> as a request body.</summary>
    public JsonObject Body(Type type) => Reference(type, bodies);

    /// <summary>A reference to the schema of <paramref name="type"/> as an answer.</summary>
    public JsonObject Answer(Type type) => Reference(type, answers);

    /// <summary>A reference to <paramref name="type"/>'s schema, added on first use.</summary>
    private JsonObject Reference(Type type, JsonSerializerOptions options)
    {
        if (!_names.TryGetValue(type, out var name))
        {
            name = Name(type);
            for (var n = 2; _schemas.ContainsKey(name); n++)
            {
                name = Name(type) + n;
            }

            _names[type] = name;
            _schemas[name] = options.GetJsonSchemaAsNode(type, s_exporter);
        }

        return ReferenceTo(name);
    }

    public JsonObject ToJson()
    {
        var node = new JsonObject();
        foreach (var (name, schema) in _schemas)
        {
            node[name] = schema.DeepClone();
        }

        return node;
    }

    /// <summary><c>Page&lt;AgentDto&gt;</c> is <c>AgentDtoPage</c>.</summary>
    private static string Name(Type type) => type.IsGenericType
        ? string.Concat(type.GetGenericArguments().Select(Name)) + type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]
        : type.Name;

    /// <summary>RFC 9457, with the members Plant adds.</summary>
    private static JsonObject ProblemSchema() => new()
    {
        ["type"] = "object",
        ["description"] = "RFC 9457 problem details; type is stable (urn:plant:problem:<slug>, docs/PROBLEMS.md) and is what a client switches on.",
        ["required"] = new JsonArray("type", "title", "status"),
        ["properties"] = new JsonObject
        {
            ["type"] = new JsonObject { ["type"] = "string" },
            ["title"] = new JsonObject { ["type"] = "string" },
            ["status"] = new JsonObject { ["type"] = "integer" },
            ["detail"] = new JsonObject { ["type"] = "string", ["description"] = "What is wrong, for a person." },
            ["instance"] = new JsonObject { ["type"] = "string", ["description"] = "The request path." },
            ["parameter"] = new JsonObject { ["type"] = "string", ["description"] = "The query parameter, header, route value or body member at fault." },
            ["invocationId"] = new JsonObject { ["type"] = "string", ["description"] = "The invocation to quote when reporting a failure." },
            ["traceId"] = new JsonObject { ["type"] = "string" },
        },
    };
}

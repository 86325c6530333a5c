using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Plant.Core.Catalog;
using Plant.Hosting;

namespace Plant.Genesis.Http;

/// <summary>
/// Reads what Genesis's routes need from a request: the type segment, a draft body of that type, an If-Match
/// version and the acting caller. Each either gives the value or the problem response to answer with.
/// </summary>
internal static class GenesisRequests
{
    /// <summary>The header a portal sets to the user it acts for; recorded as created_by/updated_by and in the audit trail.</summary>
    public const string ActorHeader = "X-Plant-Actor";

    /// <summary>The actor recorded when the caller names none.</summary>
    public const string DefaultActor = "genesis-api";

    private const int MaxActorLength = 200;

    /// <summary>The entity type of a route segment, or a 404 naming the segments that exist.</summary>
    public static bool TryType(string segment, out EntityType type, out IResult problem)
    {
        if (EntityTypes.TryParseRouteSegment(segment, out type))
        {
            problem = null!;
            return true;
        }

        problem = Problems.Result(StatusCodes.Status404NotFound, Problems.NotFound, "Not found",
            $"'{Shorten(segment)}' is not a catalog type; use one of {string.Join(", ", EntityTypes.All.Select(t => t.RouteSegment()))}.");
        return false;
    }

    /// <summary>
    /// The body as a draft of <paramref name="type"/>: JSON with Content-Type application/json, an object with only
    /// the draft's properties (an <c>entityType</c> property is allowed when it names the same type).
    /// </summary>
    public static async Task<(EntityDraft? Draft, IResult? Problem)> ReadDraftAsync(HttpRequest request, EntityType type, CancellationToken ct)
    {
        var (node, problem) = await ReadObjectAsync(request, ct);
        if (node is null)
        {
            return (null, problem);
        }

        if (node.TryGetPropertyValue("entityType", out var named))
        {
            if (StringOf(named) != type.SchemaName())
            {
                return (null, Malformed($"The body's 'entityType' must be \"{type.SchemaName()}\" on this route, or absent."));
            }

            node.Remove("entityType");
        }

        return Deserialize(node, type.DraftType());
    }

    /// <summary>The body of <c>POST /validate</c>: a draft of any type, named by its <c>entityType</c> property.</summary>
    public static async Task<(EntityDraft? Draft, IResult? Problem)> ReadAnyDraftAsync(HttpRequest request, CancellationToken ct)
    {
        var (node, problem) = await ReadObjectAsync(request, ct);
        if (node is null)
        {
            return (null, problem);
        }

        if (StringOf(node["entityType"]) is not { } text)
        {
            return (null, Malformed($"The body needs 'entityType': one of {string.Join(", ", EntityTypes.All.Select(t => t.SchemaName()))}."));
        }

        if (!EntityTypes.TryParseSchemaName(text, out var type) && !EntityTypes.TryParseRouteSegment(text, out type))
        {
            return (null, Malformed($"'entityType' is '{Shorten(text)}'; use one of {string.Join(", ", EntityTypes.All.Select(t => t.SchemaName()))}."));
        }

        node.Remove("entityType");
        return Deserialize(node, type.DraftType());
    }

    /// <summary>A JSON object body of an arbitrary shape, for the routes whose body is not a draft.</summary>
    public static async Task<(JsonObject? Body, IResult? Problem)> ReadObjectAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasJsonContentType())
        {
            return request.ContentLength is null or 0 && request.ContentType is null
                ? (null, Malformed("A JSON body is required."))
                : (null, Problems.Result(StatusCodes.Status415UnsupportedMediaType, Problems.UnsupportedMediaType, "Unsupported media type",
                    $"The body must be JSON with Content-Type application/json; got '{Shorten(request.ContentType ?? "none")}'."));
        }

        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException e)
        {
            return (null, Malformed(string.Create(CultureInfo.InvariantCulture,
                $"The body is not valid JSON (line {(e.LineNumber ?? 0) + 1}, position {(e.BytePositionInLine ?? 0) + 1}).")));
        }

        return node is JsonObject body
            ? (body, null)
            : (null, Malformed("The body must be a JSON object."));
    }

    /// <summary>
    /// The version an <c>If-Match</c> header names: <c>"3"</c> (the ETag Genesis sends), <c>W/"3"</c> or <c>3</c>;
    /// null when the header is absent or <c>*</c>. A header that names no version is a 400.
    /// </summary>
    public static bool TryIfMatch(HttpRequest request, out int? version, out IResult problem)
    {
        version = null;
        problem = null!;
        var header = request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0 || header == "*")
        {
            return true;
        }

        var text = header.StartsWith("W/", StringComparison.Ordinal) ? header[2..] : header;
        text = text.Length >= 2 && text[0] == '"' && text[^1] == '"' ? text[1..^1] : text;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1)
        {
            version = number;
            return true;
        }

        problem = Problems.Result(StatusCodes.Status400BadRequest, Problems.BadRequest, "Bad request",
            "The If-Match header must name one version, as the ETag of the entity does (\"3\").");
        return false;
    }

    /// <summary>The ETag of a version: its number, quoted.</summary>
    public static string ETag(int version) => string.Create(CultureInfo.InvariantCulture, $"\"{version}\"");

    /// <summary>The caller's <see cref="ActorHeader"/>, or <see cref="DefaultActor"/>; a header that cannot be recorded is a 400.</summary>
    public static bool TryActor(HttpRequest request, out string actor, out IResult problem)
    {
        problem = null!;
        var header = request.Headers[ActorHeader].ToString().Trim();
        if (header.Length == 0)
        {
            actor = DefaultActor;
            return true;
        }

        actor = header;
        if (header.Length <= MaxActorLength && !header.Any(char.IsControl))
        {
            return true;
        }

        problem = Problems.Result(StatusCodes.Status400BadRequest, Problems.BadRequest, "Bad request",
            $"The {ActorHeader} header must have at most {MaxActorLength} characters and no control characters.");
        return false;
    }

    /// <summary>The text of a JSON string node; null when it is not a string or not valid Unicode.</summary>
    public static string? StringOf(JsonNode? node)
    {
        if (node?.GetValueKind() != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return node.GetValue<string>();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>A 400 <c>malformed-json</c> problem.</summary>
    public static IResult Malformed(string detail) =>
        Problems.Result(StatusCodes.Status400BadRequest, Problems.MalformedJson, "Malformed JSON", detail);

    private static (EntityDraft? Draft, IResult? Problem) Deserialize(JsonObject node, Type draftType)
    {
        try
        {
            return node.Deserialize(draftType, CatalogJson.Options) is EntityDraft draft
                ? (draft, null)
                : (null, Malformed("The body must be a JSON object."));
        }
        catch (JsonException e)
        {
            return (null, Malformed(Describe(e)));
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json refuses an escaped unpaired surrogate ("\ud800") only when it reads the string.
            return (null, Malformed("The body holds a string that is not valid Unicode text (an unpaired surrogate escape such as \\ud800)."));
        }
    }

    /// <summary>What is wrong with a well-formed body, naming the property (System.Text.Json tells the cases apart only by message).</summary>
    private static string Describe(JsonException e)
    {
        var path = e.Path is null or "$" ? "the body" : $"'{e.Path.TrimStart('$', '.')}'";
        var message = e.Message;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            var name = message.Split('\'') is { Length: > 2 } parts ? parts[1] : path;
            return $"The body has the property '{name}', which a draft of this type does not have.";
        }

        return message.Contains("null", StringComparison.OrdinalIgnoreCase)
            ? $"{path} must not be null."
            : $"{path} has a value of the wrong type.";
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "...";
}

using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Plant.Core.Catalog;
using Plant.Hosting;

namespace Plant.Genesis;

/// <summary>
/// What Genesis's routes read from a request beyond the host's readers: a draft body of the route's type, the
/// and the version an <c>If-Match</c> names. Bad input is a <see cref="BadInputException"/>.
/// </summary>
internal static class GenesisRequests
{
    /// <summary>
    /// The body as a draft of <paramref name="type"/>: a JSON object with only the draft's members (an
    /// <c>entityType</c> member is allowed when it names the same type).
    /// </summary>
    public static async Task<EntityDraft> ReadDraftAsync(HttpRequest request, EntityType type, CancellationToken ct)
    {
        var body = await JsonBody.ReadObjectAsync(request, ct);
        if (body.TryGetPropertyValue("entityType", out var named))
        {
            if (StringOf(named) != type.SchemaName())
            {
                throw BadInputException.MalformedJson("entityType", $"The body's 'entityType' must be \"{type.SchemaName()}\" on this route, or absent.");
            }

            body.Remove("entityType");
        }

        return (EntityDraft)JsonBody.Deserialize(body, type.DraftType(), CatalogJson.Options);
    }

    /// <summary>The body of <c>POST /validate</c>: a draft of any type, named by its <c>entityType</c> member.</summary>
    public static async Task<EntityDraft> ReadAnyDraftAsync(HttpRequest request, CancellationToken ct)
    {
        var body = await JsonBody.ReadObjectAsync(request, ct);
        var names = string.Join(", ", EntityTypes.All.Select(t => t.SchemaName()));
        if (StringOf(body["entityType"]) is not { } text)
        {
            throw BadInputException.MalformedJson("entityType", $"The body needs 'entityType': one of {names}.");
        }

        if (!EntityTypes.TryParseSchemaName(text, out var type) && !EntityTypes.TryParseRouteSegment(text, out type))
        {
            throw BadInputException.MalformedJson("entityType", $"'entityType' is '{BadInputException.Shorten(text)}'; use one of {names}.");
        }

        body.Remove("entityType");
        return (EntityDraft)JsonBody.Deserialize(body, type.DraftType(), CatalogJson.Options);
    }

    /// <summary>
    /// The version <c>If-Match</c> names: <c>"3"</c> (the ETag Genesis sends) or <c>W/"3"</c>; null when the header is
    /// absent or <c>*</c>. A header that names no one version is a 400.
    /// </summary>
    public static int? IfMatchVersion(HttpRequest request)
    {
        if (Preconditions.IfMatch(request) is not { } tags || tags.Any(t => t.Equals(EntityTagHeaderValue.Any)))
        {
            return null;
        }

        return tags.Count == 1 && int.TryParse(tags[0].Tag.AsSpan().Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version >= 1
            ? version
            : throw new BadInputException(HeaderNames.IfMatch, "The If-Match header must name one version, as the ETag of the entity does (\"3\").");
    }

    /// <summary>The ETag of a version: its number, quoted.</summary>
    public static EntityTagHeaderValue ETag(int version) => new(string.Create(CultureInfo.InvariantCulture, $"\"{version}\""));

    /// <summary>The text of a JSON string node; null when it is not a string, or not valid Unicode (an escaped lone surrogate).</summary>
    private static string? StringOf(JsonNode? node)
    {
        if (node?.GetValueKind() != System.Text.Json.JsonValueKind.String)
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
}

/// <summary>The <c>{type}</c> route value: one of the catalog types' route segments (<see cref="EntityTypes.TryParseRouteSegment"/>).</summary>
internal sealed class EntityTypeSegmentAttribute : ApiParametersAttribute
{
    public override IEnumerable<ApiParameter> Parameters =>
    [
        new("type", ParameterLocation.Path, "The catalog type; any other segment is a 404.", typeof(string),
            Values: [.. EntityTypes.All.Select(t => t.RouteSegment())]),
    ];
}

/// <summary>
/// <c>If-Match</c> as Genesis's writes read it (<see cref="GenesisRequests.IfMatchVersion"/>): the version the write
/// applies to; required on an amendment, optional on certification and the lifecycle changes.
/// </summary>
internal sealed class IfMatchVersionAttribute(bool required) : ApiParametersAttribute
{
    public override IEnumerable<ApiParameter> Parameters =>
    [
        new(HeaderNames.IfMatch, ParameterLocation.Header, required
            ? "The ETag of the version this amendment replaces, as read (\"3\", or W/\"3\"), or * for whichever is current. Without it, 428; when it is not the current version, 412 and nothing is written."
            : "Makes the write conditional: the ETag of the version read (\"3\", or W/\"3\"), or *. When it is not the current version, 412 and nothing is written; without it, the write applies to whatever version is current.",
            typeof(string), Required: required),
    ];
}

using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Plant.Core.Catalog;

/// <summary>The JSON settings of catalog drafts, and reading a draft whose type the payload names.</summary>
public static class CatalogJson
{
    /// <summary>
    /// Web defaults (camelCase), strict like the function host's body binding (unknown properties and nulls where
    /// the record allows none are errors), and the <c>entityType</c> discriminator accepted in any position.
    /// Metadata for the drafts only, source-generated (<see cref="CatalogJsonContext"/>).
    /// </summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        AllowOutOfOrderMetadataProperties = true,
        TypeInfoResolver = CatalogJsonContext.Default,
    };

    /// <summary>
    /// <see cref="EntityDraft"/> under <see cref="Options"/> (cached by them), for the <c>JsonSerializer</c> overloads
    /// that take metadata rather than options. Not <c>PlantCatalogJsonContext.Default.EntityDraft</c>: that one is bound to
    /// the context's web defaults, without the strictness.
    /// </summary>
    public static JsonTypeInfo<EntityDraft> DraftTypeInfo => (JsonTypeInfo<EntityDraft>)Options.GetTypeInfo(typeof(EntityDraft));

    /// <summary>An empty JSON object, the default attributes of a draft.</summary>
    public static JsonElement EmptyObject { get; } = JsonElement.Parse("{}");

    /// <summary>
    /// Reads a draft of any type from a JSON object naming it in <c>entityType</c>. System.Text.Json reports a
    /// missing discriminator as <see cref="NotSupportedException"/>; here every bad payload is a <see cref="JsonException"/>.
    /// </summary>
    /// <exception cref="JsonException">Not JSON, not an object, no or an unknown <c>entityType</c>, or a property of the wrong shape.</exception>
    public static async Task<EntityDraft> ReadDraftAsync(Stream utf8Json, CancellationToken ct)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(utf8Json, DraftTypeInfo, ct)
                ?? throw new JsonException("The body must be a JSON object, not null.");
        }
        catch (NotSupportedException e)
        {
            throw MissingType(e);
        }
    }

    /// <inheritdoc cref="ReadDraftAsync"/>
    public static EntityDraft ReadDraft(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, DraftTypeInfo)
                ?? throw new JsonException("The body must be a JSON object, not null.");
        }
        catch (NotSupportedException e)
        {
            throw MissingType(e);
        }
    }

    private static JsonException MissingType(NotSupportedException e) =>
        new("The body must name its type in \"entityType\": industry, skill, job_role, team or agent.", e);
}

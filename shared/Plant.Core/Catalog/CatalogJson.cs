using System.Text.Json;
using System.Text.Json.Serialization;

namespace Plant.Core.Catalog;

/// <summary>The JSON settings of catalog drafts.</summary>
public static class CatalogJson
{
    /// <summary>
    /// Web defaults (camelCase), strict like the function host's body binding (unknown properties and nulls where
    /// the record allows none are errors), and the <c>entityType</c> discriminator accepted in any position.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        AllowOutOfOrderMetadataProperties = true,
    };

    /// <summary>An empty JSON object, the default attributes of a draft.</summary>
    public static JsonElement EmptyObject { get; } = JsonElement.Parse("{}");
}

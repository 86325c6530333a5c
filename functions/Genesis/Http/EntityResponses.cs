using System.Text.Json;
using System.Text.Json.Nodes;
using Plant.Core.Catalog;
using Plant.Core.Genesis;

namespace Plant.Genesis.Http;

/// <summary>The JSON Genesis answers with for entity versions: the draft's own fields plus identity, chain, lifecycle and certification.</summary>
internal static class EntityResponses
{
    /// <summary>
    /// One version: <c>id</c>, <c>entityType</c>, <c>version</c>, the draft's fields exactly as a client would send
    /// them, then <c>contentHash</c>, <c>previousHash</c>, lifecycle and certification.
    /// </summary>
    public static JsonObject Entity(EntityVersion version)
    {
        var json = new JsonObject
        {
            ["id"] = version.EntityId,
            ["entityType"] = version.EntityType.SchemaName(),
            ["version"] = version.Version,
            ["versionId"] = version.VersionId,
            ["isCurrent"] = version.IsCurrent,
        };

        // The draft serialises with its entityType discriminator first; the rest are its fields.
        var draft = JsonSerializer.SerializeToNode(version.Content.Draft, CatalogJson.Options)!.AsObject();
        foreach (var (name, value) in draft.ToList())
        {
            if (name != "entityType")
            {
                draft.Remove(name);
                json[name] = value;
            }
        }

        json["contentHash"] = version.ContentHash;
        json["previousHash"] = version.Content.PreviousHash;
        json["supersedes"] = version.Supersedes;
        json["status"] = version.Status.SchemaName();
        json["activatedAt"] = version.ActivatedAt;
        json["suspendedAt"] = version.SuspendedAt;
        json["retiredAt"] = version.RetiredAt;
        json["certification"] = new JsonObject
        {
            ["status"] = version.CertificationStatus.SchemaName(),
            ["decidedAt"] = version.CertifiedAt,
            ["certificateId"] = version.CertificateRef,
            ["violations"] = JsonNode.Parse(version.ViolationsJson),
        };
        json["createdAt"] = version.CreatedAt;
        json["createdBy"] = version.CreatedBy;
        json["updatedAt"] = version.UpdatedAt;
        json["updatedBy"] = version.UpdatedBy;
        return json;
    }
}

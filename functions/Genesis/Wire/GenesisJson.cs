using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Plant.Core.Catalog;
using Plant.Hosting;

namespace Plant.Genesis.Wire;

/// <summary>Genesis's bodies, answers and problem members, source-generated (no reflection, as Native AOT needs).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(EntityResponse))]
[JsonSerializable(typeof(Page<EntityResponse>))]
[JsonSerializable(typeof(VersionsResponse))]
[JsonSerializable(typeof(ValidationResponse))]
[JsonSerializable(typeof(CertificateResponse))]
[JsonSerializable(typeof(CertifiedResponse))]
[JsonSerializable(typeof(VerificationResponse))]
[JsonSerializable(typeof(VerifyCertificateRequest))]
[JsonSerializable(typeof(AuditVerificationResponse))]
[JsonSerializable(typeof(SignedHeadResponse))]
[JsonSerializable(typeof(IReadOnlyList<FieldErrorResponse>))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class GenesisJson : JsonSerializerContext
{
    /// <summary>This context, then the drafts' metadata (<see cref="CatalogJson.Options"/>), for the host.</summary>
    public static IJsonTypeInfoResolver Resolver => JsonTypeInfoResolver.Combine(Default, CatalogJson.Options.TypeInfoResolver!);
}

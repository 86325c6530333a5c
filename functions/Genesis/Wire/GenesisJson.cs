using System.Text.Json;
using System.Text.Json.Serialization;
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
// The drafts, as the OpenAPI document describes the bodies (Genesis reads them with CatalogJson.Options).
[JsonSerializable(typeof(EntityDraft))]
[JsonSerializable(typeof(IndustryDraft))]
[JsonSerializable(typeof(SkillDraft))]
[JsonSerializable(typeof(JobRoleDraft))]
[JsonSerializable(typeof(TeamDraft))]
[JsonSerializable(typeof(AgentDraft))]
public sealed partial class GenesisJson : JsonSerializerContext;

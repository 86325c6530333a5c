using System.Text.Json;
using System.Text.Json.Serialization;

namespace Plant.Core.Catalog;

/// <summary>The drafts' JSON metadata, source-generated (no reflection, as Native AOT needs); <see cref="CatalogJson.Options"/> reads and writes with it.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(EntityDraft))]
[JsonSerializable(typeof(IndustryDraft))]
[JsonSerializable(typeof(SkillDraft))]
[JsonSerializable(typeof(JobRoleDraft))]
[JsonSerializable(typeof(TeamDraft))]
[JsonSerializable(typeof(AgentDraft))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;

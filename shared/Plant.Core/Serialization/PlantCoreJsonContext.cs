using System.Text.Json;
using System.Text.Json.Serialization;
using Plant.Core.Catalog;
using Plant.Core.Constitution;
using Plant.Core.Migrations.Runs;

namespace Plant.Core.Serialization;

/// <summary>
/// Source-generated JSON metadata for the public types Plant.Core reads and writes: catalog drafts (polymorphic on
/// <c>entityType</c>), migration run reports and constitution violations. Nothing in Plant.Core serialises by
/// reflection, so that it runs under Native AOT and with <c>JsonSerializerIsReflectionEnabledByDefault</c> off.
/// </summary>
/// <remarks>
/// The generation options are the web defaults, as <see cref="JsonSerializerOptions.Web"/>. Options that need more
/// (<see cref="CatalogJson.Options"/>, <see cref="MigrationRuns.JsonOptions"/>) set their own flags and converters
/// and take their metadata from <see cref="Default"/>. An app combines it with its own context:
/// <c>TypeInfoResolverChain = { AppJsonContext.Default, PlantCoreJsonContext.Default }</c>.
/// </remarks>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(EntityDraft))]
[JsonSerializable(typeof(IndustryDraft))]
[JsonSerializable(typeof(SkillDraft))]
[JsonSerializable(typeof(JobRoleDraft))]
[JsonSerializable(typeof(TeamDraft))]
[JsonSerializable(typeof(AgentDraft))]
[JsonSerializable(typeof(MigrationRunReport))]
[JsonSerializable(typeof(IReadOnlyList<Violation>))]
public sealed partial class PlantCoreJsonContext : JsonSerializerContext;

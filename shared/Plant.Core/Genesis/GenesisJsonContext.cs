using System.Text.Json;
using System.Text.Json.Serialization;
using Plant.Core.Constitution;

namespace Plant.Core.Genesis;

/// <summary>
/// What Genesis's store writes as JSON, source-generated (no reflection, as Native AOT needs): the violations of a
/// report and the audit details of writes and certifications, in the camelCase names they have always had.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(IReadOnlyList<Violation>))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
[JsonSerializable(typeof(EntityStore.LifecycleDetails))]
[JsonSerializable(typeof(EntityStore.VersionDetails))]
[JsonSerializable(typeof(Certifier.HashMismatchDetails))]
[JsonSerializable(typeof(Certifier.RejectedDetails))]
[JsonSerializable(typeof(Certifier.CertifiedDetails))]
internal sealed partial class GenesisJsonContext : JsonSerializerContext;

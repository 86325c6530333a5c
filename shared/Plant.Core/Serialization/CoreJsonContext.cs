using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Plant.Core.Backups;
using Plant.Core.Genesis;
using Plant.Core.Migrations.Runs;

namespace Plant.Core.Serialization;

/// <summary>
/// Source-generated JSON metadata for what Plant.Core writes and reads for itself: audit details, the trial content
/// hash, the Cloud SQL and metadata-server messages.
/// </summary>
/// <remarks>
/// Web defaults, as the Cloud SQL body, the metadata-server token and the certification details were written with.
/// Audit details once written with the default options come out the same: their records' names are the
/// camelCase names they had, and the web defaults differ from the default options only in reading (case-insensitive
/// names, numbers from strings) and in naming properties, not dictionary keys or <see cref="JsonObject"/> members.
/// </remarks>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(Guid))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
[JsonSerializable(typeof(JsonObject))]
// The trial content hash: its values are strings and a Guid, serialised by their runtime type.
[JsonSerializable(typeof(SortedDictionary<string, object?>))]
[JsonSerializable(typeof(EntityStore.LifecycleDetails))]
[JsonSerializable(typeof(EntityStore.VersionDetails))]
[JsonSerializable(typeof(Certifier.HashMismatchDetails))]
[JsonSerializable(typeof(Certifier.RejectedDetails))]
[JsonSerializable(typeof(Certifier.CertifiedDetails))]
[JsonSerializable(typeof(MigrationPipeline.RunDetails))]
[JsonSerializable(typeof(MigrationPipeline.ApprovedDetails))]
[JsonSerializable(typeof(CloudSqlBackup.BackupRunBody))]
[JsonSerializable(typeof(MetadataServerToken.TokenResponse))]
internal sealed partial class CoreJsonContext : JsonSerializerContext;

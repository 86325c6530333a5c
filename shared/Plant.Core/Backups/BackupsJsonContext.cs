using System.Text.Json;
using System.Text.Json.Serialization;

namespace Plant.Core.Backups;

/// <summary>The Cloud SQL Admin API's request and the metadata server's token, source-generated (no reflection, as Native AOT needs).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CloudSqlBackup.BackupRunBody))]
[JsonSerializable(typeof(MetadataServerToken.TokenResponse))]
internal sealed partial class BackupsJsonContext : JsonSerializerContext;

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Plant.Migrate.Wire;

/// <summary>Migrate's bodies, answers and problem members, source-generated (no reflection, as Native AOT needs).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PlanRequest))]
[JsonSerializable(typeof(ApplyRequest))]
[JsonSerializable(typeof(ApprovalRequestBody))]
[JsonSerializable(typeof(RollbackRequest))]
[JsonSerializable(typeof(PurgeRequestBody))]
[JsonSerializable(typeof(MigrationStatusResponse))]
[JsonSerializable(typeof(PlanResponse))]
[JsonSerializable(typeof(ApprovalResponse))]
[JsonSerializable(typeof(RunReportResponse))]
public sealed partial class MigrateJson : JsonSerializerContext;

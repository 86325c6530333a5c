using System.Text.Json;
using System.Text.Json.Serialization;

namespace Plant.Core.Migrations.Runs;

/// <summary>
/// Migration runs' JSON, source-generated (no reflection, as Native AOT needs): the stored report
/// (<see cref="MigrationRuns.JsonOptions"/> adds its enum converters) and the audit details of runs and approvals.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(MigrationRunReport))]
[JsonSerializable(typeof(MigrationPipeline.RunDetails))]
[JsonSerializable(typeof(MigrationPipeline.ApprovedDetails))]
internal sealed partial class RunsJsonContext : JsonSerializerContext;

using System.Text.Json;
using System.Text.Json.Serialization;
using Plant.Hosting;

namespace Plant.Agents.Wire;

/// <summary>Agents' bodies, answers and problem members, source-generated (no reflection, as Native AOT needs).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AgentDto))]
[JsonSerializable(typeof(Page<AgentDto>))]
[JsonSerializable(typeof(SearchResultDto))]
[JsonSerializable(typeof(IndustryDto))]
[JsonSerializable(typeof(Page<IndustryDto>))]
[JsonSerializable(typeof(SkillDto))]
[JsonSerializable(typeof(Page<SkillDto>))]
[JsonSerializable(typeof(JobRoleDto))]
[JsonSerializable(typeof(Page<JobRoleDto>))]
[JsonSerializable(typeof(TeamDto))]
[JsonSerializable(typeof(Page<TeamDto>))]
[JsonSerializable(typeof(StartTrialRequest))]
[JsonSerializable(typeof(TrialDto))]
public sealed partial class AgentsJson : JsonSerializerContext;

using Plant.Core.Agents.ReadModel;
using Plant.Hosting;

namespace Plant.Agents;

/// <summary>
/// <c>/readyz</c>'s <c>details.readModel</c>: whether lists and items are answered from memory, how many agents it
/// holds at which catalog version, or why not. The process is ready without it: the query answers meanwhile.
/// </summary>
public sealed class ReadModelReadiness(AgentReadModel readModel) : IReadinessDetail
{
    public string Name => "readModel";

    public string Describe() => readModel.Describe();
}

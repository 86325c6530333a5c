using Plant.Hosting;

namespace Plant.Agents;

/// <summary>The Agents function app: its functions and the services they need.</summary>
public static class AgentsApp
{
    public static FunctionApp Definition { get; } = FunctionApp.FromAssembly("Agents", typeof(AgentsApp).Assembly);
}

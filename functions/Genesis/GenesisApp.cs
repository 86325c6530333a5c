using Plant.Hosting;

namespace Plant.Genesis;

/// <summary>The Genesis function app: its functions and the services they need.</summary>
public static class GenesisApp
{
    public static FunctionApp Definition { get; } = FunctionApp.FromAssembly("Genesis", typeof(GenesisApp).Assembly);
}

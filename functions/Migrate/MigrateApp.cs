using Plant.Hosting;

namespace Plant.Migrate;

/// <summary>The Migrate function app: its functions and the services they need.</summary>
public static class MigrateApp
{
    public static FunctionApp Definition { get; } = FunctionApp.FromAssembly("Migrate", typeof(MigrateApp).Assembly);
}

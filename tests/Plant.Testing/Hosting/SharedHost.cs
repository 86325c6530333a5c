namespace Plant.Testing.Hosting;

/// <summary>
/// A class fixture: one database and one host with default settings serving <typeparamref name="TFunctions"/>,
/// shared by the tests of a class that only send requests and read the logs of their own invocations.
/// </summary>
public sealed class SharedHost<TFunctions> : PostgresDatabaseFixture
{
    public TestHost Host { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Host = await TestHost.StartAsync(ConnectionString, [typeof(TFunctions)]);
    }

    public override async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await base.DisposeAsync();
    }
}

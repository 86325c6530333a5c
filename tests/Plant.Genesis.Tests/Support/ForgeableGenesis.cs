namespace Plant.Genesis.Tests.Support;

/// <summary>
/// A Genesis database of a test class's own, for tests that tamper with its audit trail as a superuser would; the
/// shared database stays as the other tests expect it.
/// </summary>
public sealed class ForgeableGenesis : IAsyncLifetime
{
    public GenesisDatabase Db { get; } = new();

    public Task InitializeAsync() => Db.InitializeAsync();

    public Task DisposeAsync() => Db.DisposeAsync();
}

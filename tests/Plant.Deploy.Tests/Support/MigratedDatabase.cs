using Plant.Testing;

namespace Plant.Deploy.Tests.Support;

/// <summary>A database at the latest migration, as every deployed service finds it.</summary>
public sealed class MigratedDatabase : PostgresDatabaseFixture
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await TestPipeline.Create(DataSource).UpAsync();
    }
}

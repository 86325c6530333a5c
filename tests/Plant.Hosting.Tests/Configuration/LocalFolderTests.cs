using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Plant.Testing;
using Plant.Testing.Hosting;

namespace Plant.Hosting.Tests.Configuration;

/// <summary>Where local files go (docs/SETTINGS.md, "Local files"), and the environment name a local run gets.</summary>
public sealed class LocalFolderTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public void The_project_folder_is_the_nearest_folder_above_that_holds_Plant_sln()
    {
        var root = Directory.CreateTempSubdirectory("plant-project-").FullName;
        try
        {
            var bin = Directory.CreateDirectory(Path.Combine(root, "tools", "App", "bin", "Debug")).FullName;
            Assert.Equal(bin, ProjectFolder.Find(bin));

            File.WriteAllText(Path.Combine(root, "Plant.sln"), "");
            Assert.Equal(root, ProjectFolder.Find(bin));
            Assert.Equal(Path.Combine(root, ".plant", "keys"), ProjectFolder.Resolve(Path.Combine(".plant", "keys"), ProjectFolder.Find(bin)));
            Assert.Equal("/var/plant", ProjectFolder.Resolve("/var/plant", root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData(null, ".plant")]
    [InlineData("local-state/one", "local-state/one")]
    public void A_relative_PLANT_LOCAL_DIR_is_taken_from_the_checkout_not_the_working_folder(string? setting, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["PLANT_LOCAL_DIR"] = setting }).Build();

        var settings = HostSettings.Read(configuration, Path.Combine(AppContext.BaseDirectory, "host.json"), []);

        // The tests run from their bin folder, which is not the checkout's root: the two rules give different answers.
        Assert.NotEqual(RepositoryFolder.Root, Directory.GetCurrentDirectory());
        Assert.Equal(RepositoryFolder.Path(expected.Split('/')), settings.LocalDirectory);
    }

    [Theory]
    [InlineData("local", "Development")]
    [InlineData("demo", "Production")]
    [InlineData("uat", "Production")]
    [InlineData("prod", "Production")]
    public async Task The_host_environment_name_follows_PLANT_ENVIRONMENT(string environment, string expected)
    {
        await using var host = await TestHost.StartAsync(database.ConnectionString, [typeof(Http.KeyFunctions)],
            new Dictionary<string, string?> { ["PLANT_ENVIRONMENT"] = environment });

        Assert.Equal(expected, host.Services.GetRequiredService<IHostEnvironment>().EnvironmentName);
        Assert.Contains(host.Logs.Lines, l => l.Message == $"Hosting environment: {expected}");
    }
}

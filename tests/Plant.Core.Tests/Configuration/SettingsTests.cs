using Microsoft.Extensions.Configuration;
using Plant.Core.Configuration;
using Plant.Core.Data;

namespace Plant.Core.Tests.Configuration;

public sealed class SettingsTests
{
    private static IConfiguration Config(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, v.Value))).Build();

    [Theory]
    [InlineData(null, PlantEnvironment.Local)]
    [InlineData("local", PlantEnvironment.Local)]
    [InlineData("Demo", PlantEnvironment.Demo)]
    [InlineData("UAT", PlantEnvironment.Uat)]
    [InlineData(" prod ", PlantEnvironment.Prod)]
    public void Environment_names_parse_case_insensitively(string? value, PlantEnvironment expected) =>
        Assert.Equal(expected, PlantEnvironments.Parse(value));

    [Fact]
    public void An_unknown_environment_names_the_setting()
    {
        var error = Assert.Throws<ConfigurationException>(() => PlantEnvironments.Parse("staging"));
        Assert.Equal("PLANT_ENVIRONMENT", error.Setting);
        Assert.Contains("'staging'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pool_size_is_small_by_default_and_validated()
    {
        var url = ("DATABASE_URL", (string?)"postgresql://u:p@h/db");
        Assert.Equal(PlantDataSource.DefaultPoolSize, PlantDataSource.ReadConnectionSettings(Config(url), "plant-test").MaxPoolSize);
        Assert.Equal(12, PlantDataSource.ReadConnectionSettings(Config(url, ("PLANT_DB_POOL_SIZE", "12")), "plant-test").MaxPoolSize);
        var error = Assert.Throws<ConfigurationException>(() => PlantDataSource.ReadConnectionSettings(Config(url, ("PLANT_DB_POOL_SIZE", "0")), "plant-test"));
        Assert.Equal("PLANT_DB_POOL_SIZE", error.Setting);
    }

    [Fact]
    public async Task A_url_form_connects_to_a_real_server()
    {
        var server = await Plant.Testing.PostgresServer.SharedAsync();
        var admin = new Npgsql.NpgsqlConnectionStringBuilder(server.AdminConnectionString);
        var url = $"postgresql://{admin.Username}:{Uri.EscapeDataString(admin.Password ?? "")}@{admin.Host}:{admin.Port}/{admin.Database}?application_name=plant-url-test";
        await using var dataSource = PlantDataSource.Create(PlantDataSource.ReadConnectionSettings(Config(("DATABASE_URL", url)), "plant-test"));
        await using var command = dataSource.CreateCommand("select current_setting('application_name')");
        Assert.Equal("plant-url-test", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Sessions_run_with_the_JIT_off_and_keep_the_options_the_url_gave()
    {
        var server = await Plant.Testing.PostgresServer.SharedAsync();
        var settings = new Npgsql.NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Options = "-c statement_timeout=12345" };
        await using var dataSource = PlantDataSource.Create(settings);
        await using var command = dataSource.CreateCommand("select current_setting('jit') || ' ' || current_setting('statement_timeout')");
        Assert.Equal("off 12345ms", await command.ExecuteScalarAsync());
    }
}

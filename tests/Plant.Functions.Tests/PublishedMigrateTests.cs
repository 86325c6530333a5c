using System.Net;
using Plant.Functions.Tests.Support;

namespace Plant.Functions.Tests;

public sealed class PublishedMigrateTests(PublishedMigrateFixture fixture) : PublishedAppTests(fixture), IClassFixture<PublishedMigrateFixture>
{
    protected override string OtherRoute => "api/v1/migrations";

    [Fact]
    public async Task Reports_the_database_at_the_latest_version_with_its_history()
    {
        var status = await GetJsonAsync(OtherRoute);

        Assert.Equal(status.GetProperty("latestVersion").GetInt32(), status.GetProperty("currentVersion").GetInt32());
        Assert.Equal(0, status.GetProperty("pending").GetArrayLength());
        Assert.Contains(status.GetProperty("history").EnumerateArray(), m => m.GetProperty("version").GetInt32() == status.GetProperty("currentVersion").GetInt32());
    }

    [Fact]
    public async Task The_migration_api_is_refused_without_the_master_key()
    {
        using var response = await Client.GetAsync(new Uri(App.BaseAddress, OtherRoute));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}

using System.Net;
using System.Text;
using Plant.Functions.Tests.Support;

namespace Plant.Functions.Tests;

public sealed class PublishedGenesisTests(PublishedGenesisFixture fixture) : PublishedAppTests(fixture), IClassFixture<PublishedGenesisFixture>
{
    protected override string OtherRoute => "api/v1/genesis/skills?limit=2";

    [Fact]
    public async Task Lists_the_seeded_catalog_from_the_database()
    {
        var page = await GetJsonAsync(OtherRoute);

        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        Assert.Equal("certified", page.GetProperty("items")[0].GetProperty("certification").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Verifies_the_audit_chain_and_its_signed_head()
    {
        var verification = await GetJsonAsync("api/v1/genesis/audit/verify");

        Assert.True(verification.GetProperty("intact").GetBoolean());
        Assert.True(verification.GetProperty("entries").GetInt64() > 0);
    }

    [Fact]
    public async Task A_draft_of_the_wrong_shape_is_a_400_problem_naming_the_member()
    {
        using var request = Keyed(HttpMethod.Post, new Uri(App.BaseAddress, "api/v1/genesis/skills"));
        request.Content = new StringContent("""{ "name": 5 }""", Encoding.UTF8, "application/json");

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("name", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

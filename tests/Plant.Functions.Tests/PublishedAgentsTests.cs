using System.Net;
using Plant.Functions.Tests.Support;

namespace Plant.Functions.Tests;

public sealed class PublishedAgentsTests(PublishedAgentsFixture fixture) : PublishedAppTests(fixture), IClassFixture<PublishedAgentsFixture>
{
    protected override string OtherRoute => "api/v1/agents?limit=5";

    [Fact]
    public async Task Lists_agents_from_the_database_a_page_at_a_time()
    {
        var page = await GetJsonAsync(OtherRoute);

        Assert.Equal(5, page.GetProperty("items").GetArrayLength());
        Assert.False(string.IsNullOrEmpty(page.GetProperty("nextCursor").GetString()));
    }

    [Fact]
    public async Task Searches_by_meaning_with_the_model_compiled_into_the_executable()
    {
        var results = await GetJsonAsync("api/v1/agents/search?q=" + Uri.EscapeDataString("settle insurance claims") + "&k=3");

        var items = results.GetProperty("items");
        Assert.Equal(3, items.GetArrayLength());
        Assert.All(items.EnumerateArray(), item => Assert.InRange(item.GetProperty("score").GetDouble(), -1, 1));
        // The model (MiniLM) ran in the executable: it embedded the seeded profiles, which the hashing embedder had made.
        await App.WaitForStdoutAsync(l => MessageOf(l).StartsWith("Embedded ", StringComparison.Ordinal) && l.Contains("with minilm:", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_bad_query_parameter_is_a_400_problem_naming_it()
    {
        var problem = await GetJsonAsync("api/v1/agents?limit=abc", HttpStatusCode.BadRequest);

        Assert.Equal("limit", problem.GetProperty("parameter").GetString());
    }
}

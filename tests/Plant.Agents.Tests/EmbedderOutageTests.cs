using System.Net;
using Plant.Agents.Tests.Support;
using Plant.Testing.Hosting;

namespace Plant.Agents.Tests;

/// <summary>A seeded catalog whose embedder is an HTTP service that does not answer (a closed port).</summary>
public sealed class UnreachableEmbedderCatalog : SeededCatalog
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["PLANT_EMBEDDER"] = "http",
        ["PLANT_EMBEDDER_URL"] = "http://127.0.0.1:9",
        ["PLANT_EMBEDDER_MODEL"] = "all-MiniLM-L6-v2",
        ["PLANT_EMBEDDER_TIMEOUT_SECONDS"] = "5",
    };
}

/// <summary>When the model service fails, search answers 503 (retry later) and the rest of the app keeps working.</summary>
public sealed class EmbedderOutageTests(UnreachableEmbedderCatalog catalog) : IClassFixture<UnreachableEmbedderCatalog>
{
    [Fact]
    public async Task Search_is_503_and_lists_still_answer()
    {
        using var search = await catalog.SendAsync(HttpMethod.Get, "/api/v1/agents/search?q=fraud");
        var list = await catalog.GetJsonAsync("/api/v1/agents?limit=5");

        await Problem.AssertAsync(search, HttpStatusCode.ServiceUnavailable, "unavailable");
        Assert.Equal(5, Json.Items(list).Count);
    }
}

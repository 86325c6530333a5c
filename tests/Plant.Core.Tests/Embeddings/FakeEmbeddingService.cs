using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Plant.Core.Embeddings;

namespace Plant.Core.Tests.Embeddings;

/// <summary>
/// A real HTTP server on 127.0.0.1 that stands in for the embeddings model service, which cannot run on these
/// machines. It records every request and answers with <paramref name="answer"/>.
/// </summary>
public sealed class FakeEmbeddingService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeEmbeddingService(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Starts a server whose /v1/embeddings runs <paramref name="answer"/> with the request's inputs.</summary>
    public static async Task<FakeEmbeddingService> StartAsync(Func<HttpContext, string[], Task> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        FakeEmbeddingService? service = null;
        app.MapPost("/v1/embeddings", async (HttpContext context) =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            var inputs = body.RootElement.GetProperty("input").EnumerateArray().Select(e => e.GetString()!).ToArray();
            service!.Requests.Enqueue(new RecordedRequest(
                body.RootElement.GetProperty("model").GetString()!,
                inputs,
                context.Request.Headers.Authorization.ToString()));
            await answer(context, inputs);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        service = new FakeEmbeddingService(app, new Uri(address));
        return service;
    }

    /// <summary>
    /// A well-behaved service: each text's hashing-embedder vector times 3 (so that the client has to normalise),
    /// items listed in reverse order (so that the client has to sort by index).
    /// </summary>
    public static Task Reversed(HttpContext context, string[] inputs) =>
        context.Response.WriteAsJsonAsync<JsonNode>(new JsonObject
        {
            ["data"] = new JsonArray([.. inputs.Select((text, index) => (JsonNode)new JsonObject
            {
                ["index"] = index,
                ["embedding"] = new JsonArray([.. FeatureHashingEmbedder.Embed(text).Select(x => (JsonNode)(x * 3))]),
            }).Reverse()]),
        }, TestJsonContext.Default.JsonNode);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed record RecordedRequest(string Model, string[] Inputs, string Authorization);
}

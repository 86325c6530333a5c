using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Plant.Core.Embeddings;

namespace Plant.Core.Tests.Embeddings;

/// <summary>
/// HttpEmbedder against a real HTTP server on 127.0.0.1 (<see cref="FakeEmbeddingService"/>), which stands in for
/// the embeddings model service: no model service can run on these machines.
/// </summary>
public sealed class HttpEmbedderTests
{
    private const string ApiKey = "sk-test-9f8e7d6c5b4a";

    // One client, as in production; each embedder brings its own timeout.
    private static readonly HttpClient s_client = new() { Timeout = Timeout.InfiniteTimeSpan };

    private static HttpEmbedder Embedder(FakeEmbeddingService service, int batchSize = 64, TimeSpan? timeout = null, string? apiKey = ApiKey) =>
        new(s_client, new HttpEmbedderOptions
        {
            BaseUrl = service.BaseUrl,
            Model = "all-MiniLM-L6-v2",
            ApiKey = apiKey,
            BatchSize = batchSize,
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
        });

    private static Task Answer(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync<JsonNode>(body, TestJsonContext.Default.JsonNode);
    }

    [Fact]
    public async Task Texts_are_sent_in_batches_with_the_key_and_come_back_in_input_order_normalised()
    {
        await using var service = await FakeEmbeddingService.StartAsync(FakeEmbeddingService.Reversed);
        string[] texts = ["one", "two", "three", "four", "five"];

        var vectors = await Embedder(service, batchSize: 2).EmbedAsync(texts, default);

        Assert.Equal([["one", "two"], ["three", "four"], ["five"]], service.Requests.Select(r => r.Inputs));
        Assert.All(service.Requests, r => Assert.Equal("Bearer " + ApiKey, r.Authorization));
        Assert.All(service.Requests, r => Assert.Equal("all-MiniLM-L6-v2", r.Model));
        Assert.Equal(texts.Length, vectors.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            // The service answered 3 × the hashing vector, last item first: normalising and sorting undo both.
            var expected = FeatureHashingEmbedder.Embed(texts[i]);
            Assert.Equal(1f, VectorMath.Dot(expected, vectors[i]), 5);
            Assert.Equal(1.0, Math.Sqrt(vectors[i].Sum(x => (double)x * x)), 5);
        }
    }

    [Fact]
    public async Task Sixty_five_texts_take_two_requests_by_default()
    {
        await using var service = await FakeEmbeddingService.StartAsync(FakeEmbeddingService.Reversed);
        var texts = Enumerable.Range(0, 65).Select(i => $"text {i}").ToArray();

        var vectors = await Embedder(service).EmbedAsync(texts, default);

        Assert.Equal([64, 1], service.Requests.Select(r => r.Inputs.Length));
        Assert.Equal(65, vectors.Count);
        Assert.Equal(1f, VectorMath.Dot(FeatureHashingEmbedder.Embed("text 64"), vectors[64]), 5);
    }

    [Fact]
    public async Task Blank_texts_are_not_sent_and_get_the_zero_vector()
    {
        await using var service = await FakeEmbeddingService.StartAsync(FakeEmbeddingService.Reversed);

        var vectors = await Embedder(service).EmbedAsync(["", "payroll", "  "], default);

        Assert.Equal(["payroll"], Assert.Single(service.Requests).Inputs);
        Assert.All(vectors[0], x => Assert.Equal(0f, x));
        Assert.All(vectors[2], x => Assert.Equal(0f, x));
        Assert.Equal(384, vectors[2].Length);

        var onlyBlank = Assert.Single(await Embedder(service).EmbedAsync([" "], default));
        Assert.All(onlyBlank, x => Assert.Equal(0f, x));
        Assert.Single(service.Requests);
    }

    [Fact]
    public async Task Without_a_key_no_authorization_header_is_sent()
    {
        await using var service = await FakeEmbeddingService.StartAsync(FakeEmbeddingService.Reversed);
        await Embedder(service, apiKey: null).EmbedAsync(["payroll"], default);
        Assert.Equal("", Assert.Single(service.Requests).Authorization);
    }

    [Fact]
    public async Task A_server_error_is_reported_with_its_status_and_without_the_key()
    {
        // Some services quote the refused key in their error body.
        await using var service = await FakeEmbeddingService.StartAsync(
            (context, _) => Answer(context, 500, new JsonObject { ["error"] = $"model crashed while serving key {ApiKey}" }));

        var error = await Assert.ThrowsAsync<EmbedderException>(() => Embedder(service).EmbedAsync(["payroll"], default));

        Assert.Contains("500", error.Message, StringComparison.Ordinal);
        Assert.Contains(service.BaseUrl.Authority + "/v1/embeddings", error.Message, StringComparison.Ordinal);
        Assert.Contains("model crashed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_embedding_of_the_wrong_size_is_refused()
    {
        await using var service = await FakeEmbeddingService.StartAsync(
            (context, inputs) => Answer(context, 200, new JsonObject
            {
                ["data"] = new JsonArray([.. inputs.Select((_, index) => (JsonNode)new JsonObject { ["index"] = index, ["embedding"] = new JsonArray(1f, 2f, 3f) })]),
            }));

        var error = await Assert.ThrowsAsync<EmbedderException>(() => Embedder(service).EmbedAsync(["payroll"], default));

        Assert.Contains("embedding 0 has 3 dimensions, but 384 are required", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> UnusableAnswers => new()
    {
        { """{ "data": [ { "index": 0, "embedding": [] } ] }""", "the answer has 1 embeddings for 2 texts" },
        { """{ "data": [ { "index": 0, "embedding": [] }, { "index": 0, "embedding": [] } ] }""", "index 0 appears twice" },
        { """{ "data": [ { "index": 0, "embedding": [] }, { "index": 2, "embedding": [] } ] }""", "index 2, outside 0..1" },
        { """{ "data": [ { "embedding": [] }, { "index": 1, "embedding": [] } ] }""", "no integer \"index\"" },
        { """{ "object": "list" }""", "no \"data\" array" },
        { """<html>Bad gateway</html>""", "invalid JSON" },
    };

    [Theory]
    [MemberData(nameof(UnusableAnswers))]
    public async Task Missing_duplicated_or_malformed_items_are_refused(string answer, string expected)
    {
        await using var service = await FakeEmbeddingService.StartAsync((context, _) =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(answer);
        });

        var error = await Assert.ThrowsAsync<EmbedderException>(() => Embedder(service).EmbedAsync(["a", "b"], default));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_service_times_out_with_a_clear_error()
    {
        await using var service = await FakeEmbeddingService.StartAsync(
            (context, _) => Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted));

        var error = await Assert.ThrowsAsync<EmbedderException>(
            () => Embedder(service, timeout: TimeSpan.FromMilliseconds(300)).EmbedAsync(["payroll"], default));

        Assert.Contains("did not answer within 0.3 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_stays_a_cancellation()
    {
        await using var service = await FakeEmbeddingService.StartAsync(
            (context, _) => Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Embedder(service).EmbedAsync(["payroll"], cancel.Token));
    }

    [Fact]
    public async Task An_unreachable_service_is_named_in_the_error()
    {
        // A port that was free a moment ago: nothing listens there.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var embedder = new HttpEmbedder(s_client, new HttpEmbedderOptions
        {
            BaseUrl = new Uri($"http://127.0.0.1:{port}"),
            Model = "m",
            ApiKey = ApiKey,
        });

        var error = await Assert.ThrowsAsync<EmbedderException>(() => embedder.EmbedAsync(["payroll"], default));

        Assert.Contains($"Cannot reach the embeddings service at http://127.0.0.1:{port}/v1/embeddings", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, error.ToString(), StringComparison.Ordinal);
    }
}

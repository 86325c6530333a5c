using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Plant.Core.Embeddings;

/// <summary>
/// Calls an OpenAI-compatible embeddings service: <c>POST {base}/v1/embeddings</c> with
/// <c>{ "model": …, "input": [texts] }</c>, answered by <c>{ "data": [ { "index": i, "embedding": [...] } ] }</c>.
/// Texts are sent in batches of at most <see cref="HttpEmbedderOptions.BatchSize"/>, answers are put back in
/// input order by their <c>index</c>, checked (one embedding per text, <see cref="Embedders.Dimensions"/> finite
/// numbers each) and L2-normalised.
/// </summary>
/// <remarks>
/// Blank texts are not sent (services reject empty input) and get the all-zero vector, as with
/// <see cref="FeatureHashingEmbedder"/>. Every failure is an <see cref="EmbedderException"/> whose message names
/// the endpoint and never contains the API key, even when the service echoes it back.
/// </remarks>
public sealed class HttpEmbedder : IEmbedder
{
    // Enough of an error body to see what the service objected to, not a whole HTML error page.
    private const int MaxErrorBodyChars = 300;

    private readonly HttpClient _httpClient;
    private readonly HttpEmbedderOptions _options;
    private readonly Uri _url;
    private readonly string _endpoint;

    /// <param name="httpClient">Shared and long-lived; its own timeout is not relied on.</param>
    /// <param name="options">Where to send requests.</param>
    public HttpEmbedder(HttpClient httpClient, HttpEmbedderOptions options)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.BaseUrl.IsAbsoluteUri || options.BaseUrl.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException("The base URL must be an absolute http or https URL.", nameof(options));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(options.Model, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Timeout, TimeSpan.Zero, nameof(options));
        _httpClient = httpClient;
        _options = options;
        _url = options.EmbeddingsUrl;
        // Scheme, host, port and path only: no user information or query can reach a message.
        _endpoint = $"{_url.Scheme}://{_url.Authority}{_url.AbsolutePath}";
    }

    /// <inheritdoc/>
    public int Dimensions => Embedders.Dimensions;

    /// <inheritdoc/>
    /// <exception cref="EmbedderException">The service failed, timed out or answered something unusable.</exception>
    public async Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var vectors = new float[texts.Count][];
        var pending = new List<int>();
        for (var i = 0; i < texts.Count; i++)
        {
            var text = texts[i] ?? throw new ArgumentException($"Text {i} is null.", nameof(texts));
            if (string.IsNullOrWhiteSpace(text))
            {
                vectors[i] = new float[Dimensions];
            }
            else
            {
                pending.Add(i);
            }
        }

        foreach (var batch in pending.Chunk(_options.BatchSize))
        {
            var answers = await RequestAsync(batch.Select(i => texts[i]).ToArray(), cancellationToken);
            for (var j = 0; j < batch.Length; j++)
            {
                vectors[batch[j]] = answers[j];
            }
        }

        return vectors;
    }

    private async Task<float[][]> RequestAsync(string[] inputs, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = RequestBody(inputs) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (!string.IsNullOrEmpty(_options.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
        }

        try
        {
            using var response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(timeout.Token);
                throw new EmbedderException(
                    $"The embeddings service at {_endpoint} answered {(int)response.StatusCode} {response.ReasonPhrase}: {Snippet(body)}");
            }

            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            using var document = await JsonDocument.ParseAsync(stream, default, timeout.Token);
            return ReadEmbeddings(document.RootElement, inputs.Length);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EmbedderException(
                $"The embeddings service at {_endpoint} did not answer within {_options.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.", e);
        }
        catch (HttpRequestException e)
        {
            throw new EmbedderException($"Cannot reach the embeddings service at {_endpoint}: {Redact(e.Message)}", e);
        }
        catch (JsonException e)
        {
            throw new EmbedderException($"The embeddings service at {_endpoint} answered with invalid JSON: {Redact(e.Message)}", e);
        }
    }

    private ByteArrayContent RequestBody(string[] inputs)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", _options.Model);
            json.WriteStartArray("input");
            foreach (var input in inputs)
            {
                json.WriteStringValue(input);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private float[][] ReadEmbeddings(JsonElement root, int expected)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            throw Unusable("the answer has no \"data\" array");
        }

        if (data.GetArrayLength() != expected)
        {
            throw Unusable($"the answer has {data.GetArrayLength()} embeddings for {expected} texts");
        }

        // Where each item goes first, so that a missing or repeated item is reported as such rather than as a bad
        // vector; then the vectors.
        var items = new JsonElement?[expected];
        foreach (var item in data.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty("index", out var indexElement)
                || !indexElement.TryGetInt32(out var index))
            {
                throw Unusable("an item of \"data\" has no integer \"index\"");
            }

            if (index < 0 || index >= expected)
            {
                throw Unusable($"an item has index {index}, outside 0..{expected - 1}");
            }

            if (items[index] is not null)
            {
                throw Unusable($"index {index} appears twice");
            }

            items[index] = item;
        }

        var vectors = new float[expected][];
        for (var i = 0; i < expected; i++)
        {
            vectors[i] = ReadVector(items[i]!.Value, i);
        }

        return vectors;
    }

    private float[] ReadVector(JsonElement item, int index)
    {
        if (!item.TryGetProperty("embedding", out var embedding) || embedding.ValueKind != JsonValueKind.Array)
        {
            throw Unusable($"item {index} has no \"embedding\" array");
        }

        var length = embedding.GetArrayLength();
        if (length != Dimensions)
        {
            throw Unusable(
                $"embedding {index} has {length} dimensions, but {Dimensions} are required; configure a model that produces {Dimensions}");
        }

        var vector = new float[length];
        var i = 0;
        foreach (var component in embedding.EnumerateArray())
        {
            if (component.ValueKind != JsonValueKind.Number || !component.TryGetSingle(out var value) || !float.IsFinite(value))
            {
                throw Unusable($"embedding {index} has a component that is not a finite number");
            }

            vector[i++] = value;
        }

        VectorMath.Normalize(vector);
        return vector;
    }

    private EmbedderException Unusable(string problem) =>
        new($"The embeddings service at {_endpoint} answered something unusable: {problem}.");

    private string Snippet(string body)
    {
        body = Redact(body.Trim());
        return body.Length <= MaxErrorBodyChars ? body : string.Concat(body.AsSpan(0, MaxErrorBodyChars), "…");
    }

    // Some services quote the key they refused; it must not travel further in a log line.
    private string Redact(string text) =>
        string.IsNullOrEmpty(_options.ApiKey) ? text : text.Replace(_options.ApiKey, "[redacted]", StringComparison.Ordinal);
}

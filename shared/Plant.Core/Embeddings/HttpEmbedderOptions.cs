namespace Plant.Core.Embeddings;

/// <summary>Where and how <see cref="HttpEmbedder"/> calls an OpenAI-compatible embeddings service.</summary>
/// <remarks>A class rather than a record so that no generated <c>ToString</c> can print the API key.</remarks>
public sealed class HttpEmbedderOptions
{
    /// <summary>The default for <see cref="BatchSize"/>.</summary>
    public const int DefaultBatchSize = 64;

    /// <summary>The default for <see cref="Timeout"/>.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The service's base address, such as <c>http://embeddings:8080</c>; requests go to <c>{BaseUrl}/v1/embeddings</c>.
    /// A base address that already ends in <c>/v1</c> is accepted as well.
    /// </summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>The <c>model</c> sent with every request.</summary>
    public required string Model { get; init; }

    /// <summary>Sent as <c>Authorization: Bearer …</c> when set; many self-hosted services need none.</summary>
    public string? ApiKey { get; init; }

    /// <summary>The longest one request may take, including reading the answer.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>The most texts sent in one request; more are split over several requests.</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>The full address requests are sent to.</summary>
    public Uri EmbeddingsUrl
    {
        get
        {
            var path = BaseUrl.AbsolutePath.TrimEnd('/');
            if (!path.EndsWith("/v1", StringComparison.Ordinal))
            {
                path += "/v1";
            }

            return new UriBuilder(BaseUrl) { Path = path + "/embeddings", Query = string.Empty, Fragment = string.Empty }.Uri;
        }
    }
}

using System.Globalization;
using Microsoft.Extensions.Configuration;
using Plant.Core.Configuration;

namespace Plant.Core.Embeddings;

/// <summary>
/// Chooses the embedder from configuration: <c>PLANT_EMBEDDER</c> is <c>minilm</c> (the default,
/// <see cref="MiniLmEmbedder"/>), <c>hashing</c> (<see cref="FeatureHashingEmbedder"/>) or <c>http</c>
/// (<see cref="HttpEmbedder"/>, configured by
/// <c>PLANT_EMBEDDER_URL</c>, <c>PLANT_EMBEDDER_MODEL</c>, and optionally <c>PLANT_EMBEDDER_API_KEY</c> or
/// <c>PLANT_EMBEDDER_API_KEY_FILE</c>, <c>PLANT_EMBEDDER_TIMEOUT_SECONDS</c>, <c>PLANT_EMBEDDER_BATCH_SIZE</c>).
/// </summary>
public static class Embedders
{
    /// <summary>The width of every embedding, and of the embedding columns.</summary>
    public const int Dimensions = 384;

    public const string KindSetting = "PLANT_EMBEDDER";
    public const string UrlSetting = "PLANT_EMBEDDER_URL";
    public const string ModelSetting = "PLANT_EMBEDDER_MODEL";
    public const string ApiKeySetting = "PLANT_EMBEDDER_API_KEY";
    public const string TimeoutSetting = "PLANT_EMBEDDER_TIMEOUT_SECONDS";
    public const string BatchSizeSetting = "PLANT_EMBEDDER_BATCH_SIZE";

    // One client per process, as HttpClient is meant to be used; connections are recycled so that a DNS change of
    // the model service is picked up. Requests carry their own timeout.
    private static readonly Lazy<HttpClient> s_httpClient = new(() =>
        new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        });

    /// <summary>The configured embedder.</summary>
    /// <param name="configuration">The settings.</param>
    /// <param name="httpClient">For the HTTP embedder; a process-wide client when null.</param>
    /// <exception cref="ConfigurationException">A setting is missing or wrong; the message names it.</exception>
    public static IEmbedder FromConfiguration(IConfiguration configuration, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var kind = configuration[KindSetting]?.Trim();
        switch (kind?.ToUpperInvariant())
        {
            case null or "":
                // Vectors from two embedders cannot be compared: a URL set without choosing "http" is a mistake
                // that would otherwise go unnoticed until search results look wrong.
                if (!string.IsNullOrWhiteSpace(configuration[UrlSetting]))
                {
                    throw new ConfigurationException(KindSetting, $"is not set but {UrlSetting} is; set {KindSetting}=http to use it, or remove {UrlSetting}.");
                }

                return new MiniLmEmbedder();
            case "MINILM":
                return new MiniLmEmbedder();
            case "HASHING":
                return new FeatureHashingEmbedder();
            case "HTTP":
                return new HttpEmbedder(httpClient ?? s_httpClient.Value, HttpOptions(configuration));
            default:
                throw new ConfigurationException(KindSetting, $"'{kind}' is not one of minilm, hashing, http.");
        }
    }

    /// <summary>The HTTP embedder's settings.</summary>
    /// <exception cref="ConfigurationException">A setting is missing or wrong; the message names it.</exception>
    public static HttpEmbedderOptions HttpOptions(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var url = configuration[UrlSetting]?.Trim();
        if (string.IsNullOrEmpty(url))
        {
            throw new ConfigurationException(UrlSetting, "is not set. Set it to the embeddings service's base URL, such as http://embeddings:8080.");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
        {
            throw new ConfigurationException(UrlSetting, "is not an absolute http or https URL.");
        }

        if (baseUrl.UserInfo.Length > 0)
        {
            throw new ConfigurationException(UrlSetting, $"contains a user name or password; put the key in {ApiKeySetting} instead.");
        }

        var model = configuration[ModelSetting]?.Trim();
        if (string.IsNullOrEmpty(model))
        {
            throw new ConfigurationException(ModelSetting, $"is not set. Name a model that produces {Dimensions}-dimension embeddings.");
        }

        return new HttpEmbedderOptions
        {
            BaseUrl = baseUrl,
            Model = model,
            ApiKey = configuration[ApiKeySetting] is { Length: > 0 } apiKey ? apiKey : null,
            Timeout = TimeSpan.FromSeconds(PositiveNumber(configuration, TimeoutSetting, HttpEmbedderOptions.DefaultTimeout.TotalSeconds, 600)),
            BatchSize = (int)PositiveNumber(configuration, BatchSizeSetting, HttpEmbedderOptions.DefaultBatchSize, 2048, integer: true),
        };
    }

    private static double PositiveNumber(IConfiguration configuration, string setting, double fallback, double max, bool integer = false)
    {
        var value = configuration[setting]?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return fallback;
        }

        var styles = integer ? NumberStyles.None : NumberStyles.AllowDecimalPoint;
        if (!double.TryParse(value, styles, CultureInfo.InvariantCulture, out var number) || number <= 0 || number > max)
        {
            var what = integer ? "a whole number" : "a number";
            throw new ConfigurationException(setting, $"'{value}' is not {what} greater than 0 and at most {max.ToString(CultureInfo.InvariantCulture)}.");
        }

        return number;
    }
}

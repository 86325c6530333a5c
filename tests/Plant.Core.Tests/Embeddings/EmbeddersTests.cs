using Microsoft.Extensions.Configuration;
using Plant.Core.Configuration;
using Plant.Core.Embeddings;
using Plant.Hosting;

namespace Plant.Core.Tests.Embeddings;

public sealed class EmbeddersTests
{
    /// <summary>Settings as the host gives them to the apps: a NAME_FILE already read into NAME.</summary>
    private static IConfiguration Config(params (string Key, string? Value)[] values)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, v.Value)));
        SecretFiles.AddTo(configuration);
        return configuration;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("minilm")]
    [InlineData(" MiniLM ")]
    public void MiniLM_is_the_default(string? kind) =>
        Assert.IsType<MiniLmEmbedder>(Embedders.FromConfiguration(Config(("PLANT_EMBEDDER", kind))));

    [Theory]
    [InlineData("hashing")]
    [InlineData(" Hashing ")]
    public void The_hashing_embedder_is_a_choice(string kind) =>
        Assert.IsType<FeatureHashingEmbedder>(Embedders.FromConfiguration(Config(("PLANT_EMBEDDER", kind))));

    [Fact]
    public void Http_needs_a_url_and_a_model()
    {
        var embedder = Embedders.FromConfiguration(Config(
            ("PLANT_EMBEDDER", "http"), ("PLANT_EMBEDDER_URL", "https://embeddings.internal:8443"), ("PLANT_EMBEDDER_MODEL", "bge-small")));
        Assert.IsType<HttpEmbedder>(embedder);
        Assert.Equal(384, embedder.Dimensions);
    }

    [Fact]
    public void Http_settings_have_defaults_and_can_be_tuned()
    {
        (string, string?) url = ("PLANT_EMBEDDER_URL", "http://embeddings:8080/");
        (string, string?) model = ("PLANT_EMBEDDER_MODEL", "bge-small");

        var defaults = Embedders.HttpOptions(Config(url, model));
        Assert.Equal(TimeSpan.FromSeconds(30), defaults.Timeout);
        Assert.Equal(64, defaults.BatchSize);
        Assert.Null(defaults.ApiKey);

        var tuned = Embedders.HttpOptions(Config(url, model,
            ("PLANT_EMBEDDER_TIMEOUT_SECONDS", "2.5"), ("PLANT_EMBEDDER_BATCH_SIZE", "16"), ("PLANT_EMBEDDER_API_KEY", "k")));
        Assert.Equal(TimeSpan.FromSeconds(2.5), tuned.Timeout);
        Assert.Equal(16, tuned.BatchSize);
        Assert.Equal("k", tuned.ApiKey);
    }

    [Theory]
    [InlineData("http://embeddings:8080", "http://embeddings:8080/v1/embeddings")]
    [InlineData("http://embeddings:8080/", "http://embeddings:8080/v1/embeddings")]
    [InlineData("https://api.example.com/v1", "https://api.example.com/v1/embeddings")]
    [InlineData("https://gateway.example.com/openai/v1/", "https://gateway.example.com/openai/v1/embeddings")]
    [InlineData("https://gateway.example.com/openai", "https://gateway.example.com/openai/v1/embeddings")]
    public void The_embeddings_path_is_added_to_the_base_url_once(string baseUrl, string expected) =>
        Assert.Equal(expected, new HttpEmbedderOptions { BaseUrl = new Uri(baseUrl), Model = "m" }.EmbeddingsUrl.ToString());

    public static TheoryData<(string, string?)[], string, string> Misconfigurations => new()
    {
        { [("PLANT_EMBEDDER", "openai")], "PLANT_EMBEDDER", "'openai' is not one of minilm, hashing, http" },
        { [("PLANT_EMBEDDER_URL", "http://embeddings:8080")], "PLANT_EMBEDDER", "set PLANT_EMBEDDER=http" },
        { [("PLANT_EMBEDDER", "http"), ("PLANT_EMBEDDER_MODEL", "m")], "PLANT_EMBEDDER_URL", "is not set" },
        { [("PLANT_EMBEDDER", "http"), ("PLANT_EMBEDDER_URL", "embeddings:8080"), ("PLANT_EMBEDDER_MODEL", "m")], "PLANT_EMBEDDER_URL", "absolute http or https" },
        { [("PLANT_EMBEDDER", "http"), ("PLANT_EMBEDDER_URL", "ftp://embeddings"), ("PLANT_EMBEDDER_MODEL", "m")], "PLANT_EMBEDDER_URL", "absolute http or https" },
        { [("PLANT_EMBEDDER", "http"), ("PLANT_EMBEDDER_URL", "http://me:secretpw@embeddings"), ("PLANT_EMBEDDER_MODEL", "m")], "PLANT_EMBEDDER_URL", "user name or password" },
        { [("PLANT_EMBEDDER", "http"), ("PLANT_EMBEDDER_URL", "http://embeddings")], "PLANT_EMBEDDER_MODEL", "is not set" },
        { [("PLANT_EMBEDDER", "http"), ("PLANT_EMBEDDER_URL", "http://e"), ("PLANT_EMBEDDER_MODEL", "m"), ("PLANT_EMBEDDER_TIMEOUT_SECONDS", "0")], "PLANT_EMBEDDER_TIMEOUT_SECONDS", "greater than 0" },
        { [("PLANT_EMBEDDER", "http"), ("PLANT_EMBEDDER_URL", "http://e"), ("PLANT_EMBEDDER_MODEL", "m"), ("PLANT_EMBEDDER_TIMEOUT_SECONDS", "soon")], "PLANT_EMBEDDER_TIMEOUT_SECONDS", "'soon'" },
        { [("PLANT_EMBEDDER", "http"), ("PLANT_EMBEDDER_URL", "http://e"), ("PLANT_EMBEDDER_MODEL", "m"), ("PLANT_EMBEDDER_BATCH_SIZE", "2.5")], "PLANT_EMBEDDER_BATCH_SIZE", "whole number" },
    };

    [Theory]
    [MemberData(nameof(Misconfigurations))]
    public void A_misconfiguration_names_the_setting((string, string?)[] settings, string setting, string problem)
    {
        var error = Assert.Throws<ConfigurationException>(() => Embedders.FromConfiguration(Config(settings)));
        Assert.Equal(setting, error.Setting);
        Assert.StartsWith(setting + ":", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-secret-value", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secretpw", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_key_can_come_from_a_mounted_file_and_reaches_the_service()
    {
        await using var service = await FakeEmbeddingService.StartAsync(FakeEmbeddingService.Reversed);
        var keyFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(keyFile, "sk-from-file\n");
            var embedder = Embedders.FromConfiguration(Config(
                ("PLANT_EMBEDDER", "HTTP"), ("PLANT_EMBEDDER_URL", service.BaseUrl.ToString()), ("PLANT_EMBEDDER_MODEL", "bge-small"),
                ("PLANT_EMBEDDER_API_KEY_FILE", keyFile)));

            var vectors = await embedder.EmbedAsync(["payroll"], default);

            Assert.Equal("Bearer sk-from-file", Assert.Single(service.Requests).Authorization);
            Assert.Equal(1f, VectorMath.Dot(FeatureHashingEmbedder.Embed("payroll"), vectors[0]), 5);
        }
        finally
        {
            File.Delete(keyFile);
        }
    }
}

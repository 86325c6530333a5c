namespace Plant.Core.Embeddings;

/// <summary>
/// Turns text into a fixed-size, L2-normalised vector for semantic search: MiniLM in process (the default), a
/// deterministic feature-hashing embedder, or a model service over HTTP (<see cref="Embedders"/>).
/// </summary>
public interface IEmbedder
{
    /// <summary>The vector size: 384, the width of the embedding columns.</summary>
    int Dimensions { get; }

    /// <summary>Whether it can embed now; only an embedder that loads a model is ever anything but ready.</summary>
    EmbedderReadiness Readiness => EmbedderReadiness.Ready;

    /// <summary>
    /// Starts loading what embedding needs, in the background, if it loads a model; otherwise nothing. The model then
    /// loads on first use: an app that embeds only now and then (Genesis, on an agent's write) neither starts slower
    /// nor holds the model's memory until it does. The Agents app calls this as it starts, for search.
    /// </summary>
    void Preload()
    {
    }

    /// <summary>Embeds each text, in order.</summary>
    Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken);
}

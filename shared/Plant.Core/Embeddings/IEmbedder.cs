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

    /// <summary>Embeds each text, in order.</summary>
    Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken);
}

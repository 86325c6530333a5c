namespace Plant.Core.Embeddings;

/// <summary>
/// Turns text into a fixed-size, L2-normalised vector for semantic search. The built-in default is a
/// deterministic feature-hashing embedder (no model can be downloaded here); an HTTP embedder calls a real model
/// service when one is configured.
/// </summary>
public interface IEmbedder
{
    /// <summary>The vector size: 384, the width of the embedding columns.</summary>
    int Dimensions { get; }

    /// <summary>Embeds each text, in order.</summary>
    Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken);
}

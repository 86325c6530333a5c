namespace Plant.Core.Embeddings;

/// <summary>Whether an embedder can embed now: ready, still loading its model, or failed to load it (and why).</summary>
public sealed record EmbedderReadiness(EmbedderState State, string? Problem = null)
{
    public static EmbedderReadiness Ready { get; } = new(EmbedderState.Ready);

    public static EmbedderReadiness Loading { get; } = new(EmbedderState.Loading);

    public static EmbedderReadiness Failed(string problem) => new(EmbedderState.Failed, problem);
}

public enum EmbedderState
{
    Ready,
    Loading,
    Failed,
}

using Plant.Core.Agents.Search;
using Plant.Core.Embeddings;
using Plant.Hosting;

namespace Plant.Agents;

/// <summary>
/// <c>/readyz</c>'s <c>details.search</c>: whether search can answer now. The process is ready without it (lists,
/// items and trials do not need the model), and a search made while the model or the index loads waits for them.
/// </summary>
public sealed class SearchReadiness(IEmbedder embedder, AgentSearch search) : IReadinessDetail
{
    public string Name => "search";

    public string Describe() => embedder.Readiness switch
    {
        { State: EmbedderState.Failed, Problem: var problem } => $"unavailable: the embedding model could not be loaded ({problem}); it is tried again at the next search after {MiniLmEmbedder.RetryAfter.TotalSeconds:0} s",
        { State: EmbedderState.Loading } => "loading the embedding model",
        _ when search.Embedding is { } run => !search.IndexState.Loaded && search.HasInterim
            ? $"embedding agent profiles: {run.Done} of {run.Total} (searches rank with the hashing embedder meanwhile)"
            : $"embedding agent profiles: {run.Done} of {run.Total} (searches wait for it)",
        _ when !search.IndexState.Loaded => "loading the index",
        _ => "ready",
    };
}

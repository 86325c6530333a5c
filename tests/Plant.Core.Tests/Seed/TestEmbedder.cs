using System.Security.Cryptography;
using System.Text;
using Plant.Core.Embeddings;

namespace Plant.Core.Tests.Seed;

/// <summary>
/// A small deterministic embedder for tests: each lower-cased word adds ±1 at a hashed position, then the vector is
/// L2-normalised. Counts its calls so tests can see when the seed embeds.
/// </summary>
internal sealed class TestEmbedder : IEmbedder
{
    private int _calls;

    public int Dimensions => 384;

    public int Calls => _calls;

    public Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult<IReadOnlyList<float[]>>(texts.Select(Embed).ToList());
    }

    public static float[] Embed(string text)
    {
        var vector = new float[384];
        foreach (var word in text.ToLowerInvariant().Split([' ', ',', '.', ':', ';', '(', ')'], StringSplitOptions.RemoveEmptyEntries))
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(word));
            vector[BitConverter.ToUInt16(hash, 0) % 384] += (hash[2] & 1) == 0 ? 1f : -1f;
        }

        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        return norm == 0 ? vector : vector.Select(v => v / norm).ToArray();
    }
}

using System.Text;

namespace Plant.Core.Embeddings;

/// <summary>
/// The built-in embedder: no model, only feature hashing, so it runs anywhere and gives the same vector for the
/// same text in every process and on every machine. Each text becomes a bag of features (word unigrams, word
/// bigrams, and character trigrams of each word padded as <c>#word#</c>), each feature is hashed with a fixed
/// 64-bit hash into one of <see cref="Embedders.Dimensions"/> buckets with a sign taken from another hash bit,
/// and the sum is L2-normalised.
/// </summary>
/// <remarks>
/// <para>Text with no letters or digits (empty, whitespace, punctuation) gives the all-zero vector rather than an
/// exception: a blank description must not stop a seed or a search, and a zero vector has cosine 0 with
/// everything, so it simply ranks last.</para>
/// <para>It matches shared words and word fragments, not meaning: "car" and "automobile" are unrelated to it.</para>
/// </remarks>
public sealed class FeatureHashingEmbedder : IEmbedder
{
    // Whole words carry the most meaning. A bigram adds word order and phrases ("accounts payable") on top of the
    // words it is made of, so it weighs less. Trigrams let inflections and compounds meet ("invoices", "invoicing",
    // "autoscaler", "autoscaling"); each weighs less again because a word has many of them and unrelated words
    // share some ("-ation"). These values were chosen on the ranking tests: more trigram weight widened the gap
    // between related and unrelated descriptions up to about 0.4, beyond which unrelated words with common
    // endings start to match; scaling each word's trigrams by its length did no better, so the rule stays simple.
    internal const float UnigramWeight = 1.0f;
    internal const float BigramWeight = 0.6f;
    internal const float TrigramWeight = 0.4f;

    private const byte UnigramKind = (byte)'u';
    private const byte BigramKind = (byte)'b';
    private const byte TrigramKind = (byte)'t';
    private static readonly Rune s_boundary = new('#');

    /// <inheritdoc/>
    public int Dimensions => Embedders.Dimensions;

    /// <inheritdoc/>
    public Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var vectors = new float[texts.Count][];
        for (var i = 0; i < vectors.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            vectors[i] = Embed(texts[i] ?? throw new ArgumentException($"Text {i} is null.", nameof(texts)));
        }

        return Task.FromResult<IReadOnlyList<float[]>>(vectors);
    }

    /// <summary>Embeds one text; all zeros when it has no letters or digits.</summary>
    public static float[] Embed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var vector = new float[Embedders.Dimensions];
        var words = TextTokenizer.Words(text);
        for (var i = 0; i < words.Count; i++)
        {
            var unigram = FeatureHash.Start(UnigramKind);
            unigram.Add(words[i]);
            Accumulate(vector, unigram.Finish(), UnigramWeight);

            if (i > 0)
            {
                var bigram = FeatureHash.Start(BigramKind);
                bigram.Add(words[i - 1]);
                bigram.Add((byte)' ');
                bigram.Add(words[i]);
                Accumulate(vector, bigram.Finish(), BigramWeight);
            }

            AddTrigrams(vector, words[i]);
        }

        VectorMath.Normalize(vector);
        return vector;
    }

    private static void AddTrigrams(float[] vector, string word)
    {
        var runes = new List<Rune>(word.Length + 2) { s_boundary };
        foreach (var rune in word.EnumerateRunes())
        {
            runes.Add(rune);
        }

        runes.Add(s_boundary);
        for (var i = 0; i + 2 < runes.Count; i++)
        {
            var trigram = FeatureHash.Start(TrigramKind);
            trigram.Add(runes[i]);
            trigram.Add(runes[i + 1]);
            trigram.Add(runes[i + 2]);
            Accumulate(vector, trigram.Finish(), TrigramWeight);
        }
    }

    // The lowest bit picks the sign, so that colliding features cancel out on average instead of piling up;
    // the bits above it pick the bucket.
    private static void Accumulate(float[] vector, ulong hash, float weight)
    {
        var bucket = (int)((hash >> 1) % (ulong)vector.Length);
        vector[bucket] += (hash & 1) == 0 ? weight : -weight;
    }
}

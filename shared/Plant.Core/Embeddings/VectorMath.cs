namespace Plant.Core.Embeddings;

/// <summary>The vector arithmetic that embedding and exact search share.</summary>
public static class VectorMath
{
    /// <summary>The dot product; for L2-normalised vectors this is their cosine similarity.</summary>
    /// <exception cref="ArgumentException">The vectors differ in length.</exception>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"The vectors differ in length ({a.Length} and {b.Length}).", nameof(b));
        }

        return (float)DotCore(a, b);
    }

    /// <summary>
    /// The cosine similarity in [-1, 1]; 0 when either vector is all zeros (an empty text), so that such a vector
    /// ranks below anything that shares a feature with the query instead of making the result NaN.
    /// </summary>
    /// <exception cref="ArgumentException">The vectors differ in length.</exception>
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"The vectors differ in length ({a.Length} and {b.Length}).", nameof(b));
        }

        var dot = DotCore(a, b);
        var norms = Math.Sqrt(SquaredNorm(a) * SquaredNorm(b));
        return norms == 0 ? 0f : (float)Math.Clamp(dot / norms, -1.0, 1.0);
    }

    /// <summary>Scales <paramref name="vector"/> in place to unit length; an all-zero vector stays all zeros.</summary>
    public static void Normalize(Span<float> vector)
    {
        var norm = Math.Sqrt(SquaredNorm(vector));
        if (norm == 0)
        {
            return;
        }

        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)(vector[i] / norm);
        }
    }

    // Sums in double so that 384 float products lose nothing that would reorder close search results.
    private static double DotCore(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }

        return sum;
    }

    private static double SquaredNorm(ReadOnlySpan<float> vector)
    {
        var sum = 0.0;
        foreach (var x in vector)
        {
            sum += (double)x * x;
        }

        return sum;
    }
}

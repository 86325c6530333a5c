using Plant.Core.Embeddings;

namespace Plant.Core.Tests.Embeddings;

public sealed class VectorMathTests
{
    [Fact]
    public void Cosine_is_one_for_the_same_direction_zero_for_orthogonal_and_minus_one_for_opposite()
    {
        Assert.Equal(1f, VectorMath.Cosine([1, 2, 3], [2, 4, 6]), 6);
        Assert.Equal(0f, VectorMath.Cosine([1, 0], [0, 5]), 6);
        Assert.Equal(-1f, VectorMath.Cosine([1, 1], [-3, -3]), 6);
    }

    [Fact]
    public void Cosine_with_a_zero_vector_is_zero_not_nan() =>
        Assert.Equal(0f, VectorMath.Cosine([0, 0], [1, 2]));

    [Fact]
    public void Vectors_of_different_lengths_are_refused()
    {
        Assert.Throws<ArgumentException>(() => VectorMath.Cosine([1, 2], [1, 2, 3]));
        Assert.Throws<ArgumentException>(() => VectorMath.Dot([1, 2], [1]));
    }

    [Fact]
    public void Normalize_gives_unit_length_and_leaves_zero_alone()
    {
        float[] vector = [3, 4];
        VectorMath.Normalize(vector);
        Assert.Equal([0.6f, 0.8f], vector);
        Assert.Equal(1f, VectorMath.Dot(vector, vector), 6);

        float[] zero = [0, 0, 0];
        VectorMath.Normalize(zero);
        Assert.Equal([0f, 0f, 0f], zero);
    }
}

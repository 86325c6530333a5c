using System.Security.Cryptography;
using Plant.Core.Audit;

namespace Plant.Core.Tests.Audit;

public sealed class Sha256LanesTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 7)]
    [InlineData(8, 0)]
    [InlineData(300, 1)]
    [InlineData(1024, 2)]
    public void Every_hash_is_the_one_SHA256_gives_for_any_mix_of_lengths(int count, int seed)
    {
        var random = new Random(seed);
        // Lengths around every padding boundary (55, 56, 63, 64, 119, 120 ...), audit-entry sizes, and a few
        // messages too long for the lanes.
        var lengths = Enumerable.Range(0, count).Select(i => random.Next(10) switch
        {
            0 => random.Next(50, 130),
            1 => random.Next(0, 5000),
            _ => random.Next(330, 420),
        }).ToArray();
        var data = new byte[lengths.Sum() + 3];
        random.NextBytes(data);
        var bounds = new int[count + 1];
        bounds[0] = 3;
        for (var i = 0; i < count; i++)
        {
            bounds[i + 1] = bounds[i] + lengths[i];
        }

        var hashes = new byte[count * 32];
        Sha256Lanes.HashAll(data, bounds, hashes);

        for (var i = 0; i < count; i++)
        {
            Assert.Equal(Convert.ToHexString(SHA256.HashData(data.AsSpan(bounds[i], lengths[i]))), Convert.ToHexString(hashes.AsSpan(i * 32, 32)));
        }
    }

    [Fact]
    public void The_FIPS_180_examples_hash_as_published()
    {
        var messages = new[] { ""u8.ToArray(), "abc"u8.ToArray(), "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"u8.ToArray() };
        // Eight of each, so that they go through the lanes and not the one-by-one path.
        var all = Enumerable.Range(0, 8).SelectMany(_ => messages).ToArray();
        var data = all.SelectMany(m => m).ToArray();
        var bounds = new int[all.Length + 1];
        for (var i = 0; i < all.Length; i++)
        {
            bounds[i + 1] = bounds[i] + all[i].Length;
        }

        var hashes = new byte[all.Length * 32];

        Sha256Lanes.HashAll(data, bounds, hashes);

        var expected = new[]
        {
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        };
        Assert.Equal(Enumerable.Range(0, 8).SelectMany(_ => expected), Enumerable.Range(0, all.Length).Select(i => Convert.ToHexStringLower(hashes.AsSpan(i * 32, 32))));
    }
}

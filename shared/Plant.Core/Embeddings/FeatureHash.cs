using System.Text;

namespace Plant.Core.Embeddings;

/// <summary>
/// A fixed 64-bit hash for feature hashing: FNV-1a over the feature's UTF-8 bytes, then the MurmurHash3 64-bit
/// finaliser so that every output bit depends on every input byte (plain FNV-1a mixes its low bits poorly, and
/// the low bits pick the sign and the bucket). Unlike <see cref="string.GetHashCode()"/> it is the same in every
/// process and on every machine, which is what lets stored vectors be compared with vectors computed later.
/// </summary>
/// <remarks>Changing anything here changes every stored embedding: re-embed the catalogue if you do.</remarks>
internal struct FeatureHash
{
    private const ulong OffsetBasis = 0xcbf29ce484222325;
    private const ulong Prime = 0x100000001b3;

    private ulong _state;

    /// <summary>Starts a hash; <paramref name="kind"/> keeps, say, the word "abc" apart from the trigram "abc".</summary>
    public static FeatureHash Start(byte kind)
    {
        var hash = new FeatureHash { _state = OffsetBasis };
        hash.Add(kind);
        return hash;
    }

    /// <summary>Plain FNV-1a 64 of some bytes, without a kind or the finaliser (for checking against the published test vectors).</summary>
    public static ulong Fnv1a(ReadOnlySpan<byte> bytes)
    {
        var hash = new FeatureHash { _state = OffsetBasis };
        hash.Add(bytes);
        return hash._state;
    }

    public void Add(byte value) => _state = (_state ^ value) * Prime;

    public void Add(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            Add(b);
        }
    }

    public void Add(Rune rune)
    {
        Span<byte> utf8 = stackalloc byte[4];
        Add(utf8[..rune.EncodeToUtf8(utf8)]);
    }

    public void Add(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            Add(rune);
        }
    }

    /// <summary>The mixed 64-bit result.</summary>
    public readonly ulong Finish()
    {
        var h = _state;
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccd;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53;
        h ^= h >> 33;
        return h;
    }
}

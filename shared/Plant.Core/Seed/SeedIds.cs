using System.Security.Cryptography;
using System.Text;

namespace Plant.Core.Seed;

/// <summary>
/// Deterministic ids for seeded rows, derived from the entity type and name: every run (and every database) gives
/// the same ids, which is what lets a re-run recognise the rows it wrote. Name-based UUIDs in the RFC 9562 version 8
/// layout, hashed with SHA-256 (the RFC's suggestion for name-based ids without SHA-1).
/// </summary>
public static class SeedIds
{
    private static readonly Guid s_namespace = new("6c1e0f5a-9d4b-4f51-8a57-0b1c5e7d2a90");

    /// <summary>The entity id of the seeded entity of <paramref name="entityType"/> called <paramref name="name"/>.</summary>
    public static Guid Entity(string entityType, string name) => NameBased($"entity:{entityType}:{name}");

    /// <summary>The id of that entity's first version.</summary>
    public static Guid FirstVersion(string entityType, string name) => Version(entityType, name, 1);

    /// <summary>The id of that entity's version <paramref name="version"/>, when the seed writes it.</summary>
    public static Guid Version(string entityType, string name, int version) =>
        NameBased(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"version:{entityType}:{name}:{version}"));

    private static Guid NameBased(string name)
    {
        var input = new byte[16 + Encoding.UTF8.GetByteCount(name)];
        s_namespace.TryWriteBytes(input, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, input.AsSpan(16));
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
    }
}

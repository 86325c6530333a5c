namespace Plant.Core.Catalog;

/// <summary>
/// Orders uuids as PostgreSQL does (byte by byte, in RFC 9562 order), which is also the order of their lower-case
/// text; <see cref="Guid.CompareTo(Guid)"/> happens to agree on .NET 10 but does not promise to. In-process
/// rankings break ties the way SQL's <c>order by entity_id</c> would, and id sets are hashed in an order anyone can
/// rebuild.
/// </summary>
internal static class UuidOrder
{
    public static int Compare(Guid x, Guid y)
    {
        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        x.TryWriteBytes(a, bigEndian: true, out _);
        y.TryWriteBytes(b, bigEndian: true, out _);
        return a.SequenceCompareTo(b);
    }
}

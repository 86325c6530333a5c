namespace Plant.Core.Agents.Search;

/// <summary>
/// Orders uuids as PostgreSQL does (byte by byte, in RFC 9562 order), which <see cref="Guid.CompareTo(Guid)"/> does
/// not; in-process rankings break ties the way SQL's <c>order by entity_id</c> would.
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

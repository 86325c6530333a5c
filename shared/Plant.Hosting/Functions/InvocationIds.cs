namespace Plant.Hosting.Functions;

/// <summary>
/// Invocation ids in the UUID v4 format. They identify an invocation in logs and problems and protect nothing, so
/// they come from <see cref="Random.Shared"/> rather than <see cref="Guid.NewGuid"/>, which makes a system call per
/// request on Linux.
/// </summary>
internal static class InvocationIds
{
    public static string Next()
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString();
    }
}

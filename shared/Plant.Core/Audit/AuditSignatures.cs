using System.Globalization;
using Plant.Core.Canonical;
using Plant.Core.Signing;

namespace Plant.Core.Audit;

/// <summary>
/// A head of the chain signed with a Plant signing key. The signed bytes are the RFC 8785 JSON
/// <c>{"hash":"…","purpose":"plant-audit-head","sequence":N,"signedAt":"…"}</c> (<see cref="SignedBytes"/>);
/// anyone holding the public key can check it, and a later head must extend the chain through it.
/// </summary>
public sealed record SignedAuditHead(long Sequence, string Hash, DateTimeOffset SignedAt, string KeyId, string Signature)
{
    internal const string Purpose = "plant-audit-head";

    /// <summary>The exact bytes the signature covers.</summary>
    public byte[] SignedBytes() => AuditSignatures.Payload(Purpose, "signedAt", Sequence, Hash, SignedAt);

    /// <summary>Checks the signature with <paramref name="keys"/>.</summary>
    public SignatureCheck Check(SigningKeyRing keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return keys.Verify(SignedBytes(), new Signature(KeyId, Signature));
    }
}

/// <summary>
/// A signed statement that the chain up to <see cref="Sequence"/> was verified and ended in <see cref="Hash"/>.
/// The retention purge cuts entries up to a checkpoint; verification then starts from its hash. The signed bytes
/// are <c>{"createdAt":"…","hash":"…","purpose":"plant-audit-checkpoint","sequence":N}</c> in RFC 8785 form; the
/// purpose keeps a signed head from passing for a checkpoint.
/// </summary>
public sealed record AuditCheckpoint(long Sequence, string Hash, DateTimeOffset CreatedAt, string KeyId, string Signature)
{
    internal const string Purpose = "plant-audit-checkpoint";

    /// <summary>The exact bytes the signature covers.</summary>
    public byte[] SignedBytes() => AuditSignatures.Payload(Purpose, "createdAt", Sequence, Hash, CreatedAt);

    /// <summary>Checks the signature with <paramref name="keys"/>.</summary>
    public SignatureCheck Check(SigningKeyRing keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return keys.Verify(SignedBytes(), new Signature(KeyId, Signature));
    }
}

internal static class AuditSignatures
{
    public static byte[] Payload(string purpose, string timeName, long sequence, string hash, DateTimeOffset time)
    {
        using var writer = new CanonicalJsonWriter(256);
        writer.WriteStartObject();
        writer.WriteString(timeName, FormatTime(time));
        writer.WriteString("hash", hash);
        writer.WriteString("purpose", purpose);
        writer.WriteNumber("sequence", sequence);
        writer.WriteEndObject();
        return writer.ToArray();
    }

    /// <summary>ISO 8601 in UTC with exactly six decimals: PostgreSQL keeps microseconds, and the text must read back to the same instant.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Drops what PostgreSQL's timestamptz cannot hold (ticks below a microsecond).</summary>
    public static DateTimeOffset ToMicroseconds(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % 10, TimeSpan.Zero);
}

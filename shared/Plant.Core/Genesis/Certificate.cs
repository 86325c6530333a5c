using System.Globalization;
using System.Text.Json;
using Plant.Core.Canonical;
using Plant.Core.Catalog;

namespace Plant.Core.Genesis;

/// <summary>
/// A Genesis certificate: the statement "version <see cref="Version"/> of entity <see cref="EntityId"/>, whose
/// content hashes to <see cref="ContentHash"/>, passed the constitution", signed with RSA-PSS (SHA-256) by the key
/// <see cref="KeyId"/>. The signature covers <see cref="Payload"/>, the statement's RFC 8785 canonical JSON, which
/// is stored byte for byte (<c>catalog.certificate.payload</c>) and handed out as is.
/// </summary>
/// <remarks>
/// Payload members (docs/GENESIS.md): <c>algorithm</c> ("RSA-PSS-SHA256"), <c>certificateId</c>, <c>contentHash</c>,
/// <c>entityId</c>, <c>entityType</c>, <c>issuedAt</c> (UTC, six decimals), <c>keyId</c>, <c>schema</c>
/// (<see cref="Schema"/>), <c>version</c>. No floating-point value: the only number is the version.
/// </remarks>
public sealed record Certificate
{
    /// <summary>The payload's <c>schema</c> member: what kind of statement it is, and its format version.</summary>
    public const string Schema = "plant.genesis.certificate/1";

    /// <summary>The only signature algorithm: RSA-PSS with SHA-256 (MGF1 SHA-256, 32-byte salt).</summary>
    public const string Algorithm = "RSA-PSS-SHA256";

    public required Guid CertificateId { get; init; }

    public required Guid EntityId { get; init; }

    public required EntityType EntityType { get; init; }

    public required int Version { get; init; }

    /// <summary>The content hash of the certified version (<see cref="EntityContent.ComputeHash"/>).</summary>
    public required string ContentHash { get; init; }

    /// <summary>When it was issued, in whole microseconds.</summary>
    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>The id of the key that signed it.</summary>
    public required string KeyId { get; init; }

    /// <summary>The exact bytes that were signed.</summary>
    public required byte[] Payload { get; init; }

    /// <summary>The RSA-PSS signature over <see cref="Payload"/>, base64.</summary>
    public required string Signature { get; init; }

    /// <summary>The canonical payload of a statement: what is signed.</summary>
    public static byte[] BuildPayload(Guid certificateId, Guid entityId, EntityType type, int version, string contentHash, DateTimeOffset issuedAt, string keyId)
    {
        using var writer = new CanonicalJsonWriter(512);
        writer.WriteStartObject();
        writer.WriteString("algorithm", Algorithm);
        writer.WriteString("certificateId", certificateId.ToString("D"));
        writer.WriteString("contentHash", contentHash);
        writer.WriteString("entityId", entityId.ToString("D"));
        writer.WriteString("entityType", type.SchemaName());
        writer.WriteString("issuedAt", FormatTime(issuedAt));
        writer.WriteString("keyId", keyId);
        writer.WriteString("schema", Schema);
        writer.WriteNumber("version", version);
        writer.WriteEndObject();
        return writer.ToArray();
    }

    /// <summary>
    /// Reads a payload someone presents: the certificate it states, with <paramref name="signature"/>. Null with a
    /// reason when the bytes are not a certificate payload of this schema, or are not in canonical form (a signed
    /// payload is always canonical, so other bytes were not made here).
    /// </summary>
    public static Certificate? TryParse(byte[] payload, string signature, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(signature);
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                reason = "the payload is not a JSON object.";
                return null;
            }

            if (Text(root, "schema") != Schema || Text(root, "algorithm") != Algorithm)
            {
                reason = $"the payload is not a {Schema} statement signed with {Algorithm}.";
                return null;
            }

            if (!Guid.TryParseExact(Text(root, "certificateId"), "D", out var certificateId)
                || !Guid.TryParseExact(Text(root, "entityId"), "D", out var entityId)
                || !EntityTypes.TryParseSchemaName(Text(root, "entityType"), out var type)
                || !root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var number) || number < 1
                || Text(root, "contentHash") is not { Length: 64 } contentHash
                || !DateTimeOffset.TryParseExact(Text(root, "issuedAt"), "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var issuedAt)
                || Text(root, "keyId") is not { Length: > 0 } keyId)
            {
                reason = "the payload lacks a member of a certificate or has one of the wrong form.";
                return null;
            }

            if (!CanonicalJson.Canonicalize(payload).AsSpan().SequenceEqual(payload))
            {
                reason = "the payload is not in canonical form (RFC 8785), so it is not the signed statement.";
                return null;
            }

            reason = null;
            return new Certificate
            {
                CertificateId = certificateId,
                EntityId = entityId,
                EntityType = type,
                Version = number,
                ContentHash = contentHash,
                IssuedAt = issuedAt,
                KeyId = keyId,
                Payload = payload,
                Signature = signature,
            };
        }
        catch (Exception e) when (e is JsonException or CanonicalJsonException)
        {
            reason = "the payload is not well-formed JSON.";
            return null;
        }
    }

    /// <summary>ISO 8601 in UTC with exactly six decimals, as PostgreSQL keeps the instant.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Drops what timestamptz cannot hold (ticks below a microsecond), so the stored and the signed time agree.</summary>
    public static DateTimeOffset ToMicroseconds(DateTimeOffset time) => new(time.UtcTicks - time.UtcTicks % 10, TimeSpan.Zero);

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

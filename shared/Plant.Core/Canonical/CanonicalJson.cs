using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Plant.Core.Canonical;

/// <summary>
/// RFC 8785 JSON Canonicalization Scheme (JCS): the one byte sequence of a JSON value that is hashed and signed.
/// Members sorted by the UTF-16 code units of their names, no whitespace, strings escaped minimally and written as
/// UTF-8, numbers as ECMAScript writes them. <see cref="CanonicalJsonWriter"/> builds a value directly.
/// </summary>
/// <remarks>
/// Every JSON number is read as an IEEE 754 double, as the RFC requires: 4.50 becomes 4.5, 1E+30 becomes 1e+30,
/// and an integer beyond ±2^53 loses its last digits. Keep such values (money, large ids) in strings in anything
/// that is signed.
/// </remarks>
public static class CanonicalJson
{
    /// <summary>The canonical UTF-8 bytes of a parsed value.</summary>
    /// <exception cref="CanonicalJsonException">A duplicate member name, a number out of range, a lone surrogate.</exception>
    public static byte[] Serialize(JsonElement value)
    {
        using var writer = new CanonicalJsonWriter();
        writer.WriteValue(value);
        return writer.ToArray();
    }

    /// <summary>The canonical UTF-8 bytes of a node; null is JSON null.</summary>
    /// <exception cref="CanonicalJsonException">A number out of range, a lone surrogate.</exception>
    public static byte[] Serialize(JsonNode? value)
    {
        using var writer = new CanonicalJsonWriter();
        writer.WriteValue(value);
        return writer.ToArray();
    }

    /// <summary>
    /// Serialises <paramref name="value"/> with System.Text.Json (its names, converters and options, from
    /// source-generated metadata), then canonicalises the result. Named apart from <see cref="Serialize(JsonNode?)"/>
    /// so that a node is never taken for a CLR value.
    /// </summary>
    /// <exception cref="CanonicalJsonException">The serialised value cannot be canonicalised (a duplicate name, say).</exception>
    public static byte[] SerializeValue<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        using var document = JsonSerializer.SerializeToDocument(value, typeInfo);
        return Serialize(document.RootElement);
    }

    /// <summary>
    /// <see cref="SerializeValue{T}(T, JsonTypeInfo{T})"/> with metadata from <paramref name="options"/>, or by
    /// reflection when they have none: not for trimmed or Native AOT apps, nor where reflection-based serialisation
    /// is switched off.
    /// </summary>
    /// <exception cref="CanonicalJsonException">The serialised value cannot be canonicalised (a duplicate name, say).</exception>
    [RequiresUnreferencedCode("Serialises by reflection unless the options carry source-generated metadata; use the JsonTypeInfo overload.")]
    [RequiresDynamicCode("Serialises by reflection unless the options carry source-generated metadata; use the JsonTypeInfo overload.")]
    public static byte[] SerializeValue<T>(T value, JsonSerializerOptions? options = null)
    {
        using var document = JsonSerializer.SerializeToDocument(value, options);
        return Serialize(document.RootElement);
    }

    /// <summary>Canonicalises JSON text (UTF-8).</summary>
    /// <exception cref="CanonicalJsonException">The text is not one well-formed JSON value, or it cannot be canonicalised.</exception>
    public static byte[] Canonicalize(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json);
        JsonDocument document;
        try
        {
            document = JsonDocument.ParseValue(ref reader);
            if (reader.Read())
            {
                throw new CanonicalJsonException($"The JSON text goes on after its value, at byte {reader.TokenStartIndex}.");
            }
        }
        catch (JsonException e)
        {
            throw new CanonicalJsonException($"The JSON text is malformed: {e.Message}", e);
        }

        using (document)
        {
            return Serialize(document.RootElement);
        }
    }

    // One per thread, kept: the one-shot SHA256.HashData sets up and frees an OpenSSL digest context on every call,
    // which cost as much as a sixth of an entity's content hash (docs/BENCHMARKS.md); IncrementalHash keeps its context.
    [ThreadStatic]
    private static IncrementalHash? t_sha256;

    /// <summary>Lowercase hex SHA-256 of canonical bytes (64 characters).</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> canonical)
    {
        var sha256 = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        sha256.AppendData(canonical);
        sha256.GetHashAndReset(hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>A double as ECMAScript's Number.prototype.toString writes it (RFC 8785 section 3.2.2.3).</summary>
    /// <exception cref="CanonicalJsonException">NaN or infinity.</exception>
    public static string FormatNumber(double value) => EcmaScriptNumber.ToString(value);
}

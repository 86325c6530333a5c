using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Npgsql;
using Plant.Core.Data;

namespace Plant.Core.Paging;

/// <summary>
/// Encodes and checks the opaque <c>cursor</c> of paged answers. A cursor is base64url of
/// <c>format (1) | query fingerprint (16) | id (16) | kind (1) | sort key | HMAC-SHA256 (first 16 bytes)</c>.
/// The MAC makes it tamper-evident (any change is a 400, never a query with a forged key); the fingerprint binds it
/// to the route, filters and sort of the request that returned it, so that it cannot be replayed against another
/// query (where its position would mean something else). The limit may change from page to page.
/// </summary>
/// <remarks>
/// The key lives in the database (<c>plant_agents.cursor_key</c>): the first instance creates it, every instance of
/// the app reads the same one, so a cursor from one instance works on another and after a restart, and there is no
/// secret to configure. Anyone who can read that table could forge cursors, which gives them nothing they could not
/// already read.
/// </remarks>
public sealed class PageCursors(NpgsqlDataSource dataSource)
{
    /// <summary>Longer cursors are refused before any decoding: ours stay well under it.</summary>
    public const int MaximumLength = 1024;

    private const byte Format = 1;
    private const int FingerprintLength = 16;
    private const int MacLength = 16;
    private const int HeaderLength = 1 + FingerprintLength + 16 + 1;

    private readonly NpgsqlDataSource _dataSource = dataSource;
    private readonly SemaphoreSlim _keyLock = new(1, 1);
    private volatile byte[]? _key;

    /// <summary>The 16-byte fingerprint of a query, from its canonical text (route, sort, filters; not the limit).</summary>
    public static byte[] Fingerprint(string canonicalQuery)
    {
        ArgumentNullException.ThrowIfNull(canonicalQuery);
        return SHA256.HashData(Encoding.UTF8.GetBytes(canonicalQuery))[..FingerprintLength];
    }

    /// <summary>The cursor of the page that starts after <paramref name="position"/>.</summary>
    public async ValueTask<string> EncodeAsync(byte[] fingerprint, CursorPosition position, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        ArgumentNullException.ThrowIfNull(position);
        var key = await KeyAsync(create: true, ct);
        var value = position.Kind switch
        {
            CursorValueKind.Text => Encoding.UTF8.GetBytes(position.Text!),
            CursorValueKind.Decimal => DecimalBytes(position.Number),
            _ => TimestampBytes(position.Timestamp),
        };

        var payload = new byte[HeaderLength + value.Length + MacLength];
        payload[0] = Format;
        fingerprint.AsSpan(0, FingerprintLength).CopyTo(payload.AsSpan(1));
        position.Id.TryWriteBytes(payload.AsSpan(1 + FingerprintLength, 16), bigEndian: true, out _);
        payload[HeaderLength - 1] = (byte)position.Kind;
        value.CopyTo(payload.AsSpan(HeaderLength));
        var signed = payload.Length - MacLength;
        HMACSHA256.HashData(key, payload.AsSpan(0, signed))[..MacLength].CopyTo(payload.AsSpan(signed));
        return CursorText.Encode(payload);
    }

    /// <summary>Checks a cursor and returns the position it holds.</summary>
    /// <exception cref="InvalidCursorException">Malformed, tampered with, or from another query.</exception>
    public async ValueTask<CursorPosition> DecodeAsync(string cursor, byte[] fingerprint, CursorValueKind expected, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        ArgumentNullException.ThrowIfNull(fingerprint);
        if (cursor.Length is 0 or > MaximumLength || !CursorText.TryDecode(cursor, out var payload) || payload.Length < HeaderLength + MacLength)
        {
            throw Invalid();
        }

        // Only an encoded cursor creates the key: checking one must not write to the database (a rejected request
        // changes nothing), and without a key no cursor can be valid.
        var key = await KeyAsync(create: false, ct) ?? throw Invalid();
        var signed = payload.Length - MacLength;
        var mac = HMACSHA256.HashData(key, payload.AsSpan(0, signed));
        if (!CryptographicOperations.FixedTimeEquals(mac.AsSpan(0, MacLength), payload.AsSpan(signed)) || payload[0] != Format)
        {
            throw Invalid();
        }

        if (!CryptographicOperations.FixedTimeEquals(payload.AsSpan(1, FingerprintLength), fingerprint.AsSpan(0, FingerprintLength)))
        {
            throw new InvalidCursorException(
                "The cursor belongs to another query: send it with the same sort and filters as the request that returned it.");
        }

        var id = new Guid(payload.AsSpan(1 + FingerprintLength, 16), bigEndian: true);
        var kind = (CursorValueKind)payload[HeaderLength - 1];
        var value = payload.AsSpan(HeaderLength, signed - HeaderLength);
        if (kind != expected)
        {
            throw Invalid();
        }

        // The MAC proves we wrote these bytes, so the parsing below cannot fail on anything but a bug; it is still
        // checked rather than trusted, so that a bug is a 400 and not a 500.
        try
        {
            return kind switch
            {
                CursorValueKind.Text => CursorPosition.AfterText(new UTF8Encoding(false, true).GetString(value), id),
                CursorValueKind.Decimal when value.Length == 16 => CursorPosition.AfterDecimal(ReadDecimal(value), id),
                CursorValueKind.Timestamp when value.Length == 8 => CursorPosition.AfterTimestamp(ReadTimestamp(value), id),
                _ => throw Invalid(),
            };
        }
        catch (Exception e) when (e is ArgumentException or DecoderFallbackException)
        {
            throw Invalid();
        }
    }

    private static InvalidCursorException Invalid() =>
        new("The cursor is not one this API returned, or it was changed; start again without a cursor.");

    private static byte[] DecimalBytes(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var bytes = new byte[16];
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(i * 4), bits[i]);
        }

        return bytes;
    }

    private static decimal ReadDecimal(ReadOnlySpan<byte> bytes)
    {
        Span<int> bits = stackalloc int[4];
        for (var i = 0; i < 4; i++)
        {
            bits[i] = BinaryPrimitives.ReadInt32BigEndian(bytes[(i * 4)..]);
        }

        return new decimal(bits);
    }

    private static byte[] TimestampBytes(DateTime value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value.ToUniversalTime().Ticks);
        return bytes;
    }

    private static DateTime ReadTimestamp(ReadOnlySpan<byte> bytes) =>
        new(BinaryPrimitives.ReadInt64BigEndian(bytes), DateTimeKind.Utc);

    /// <summary>
    /// Reads the key, creating it first when <paramref name="create"/> (two instances racing to create it end up with
    /// the same one); null when there is none and it is not to be created.
    /// </summary>
    private async ValueTask<byte[]?> KeyAsync(bool create, CancellationToken ct)
    {
        if (_key is { } cached)
        {
            return cached;
        }

        await _keyLock.WaitAsync(ct);
        try
        {
            if (_key is { } loaded)
            {
                return loaded;
            }

            const string Create = """
                insert into plant_agents.cursor_key (key) values (@key) on conflict (singleton) do nothing;
                select key from plant_agents.cursor_key;
                """;
            const string Read = "select key from plant_agents.cursor_key";
            byte[]? key;
            await using (var connection = await _dataSource.OpenConnectionAsync(ct))
            {
                key = create
                    ? await connection.ExecuteScalarAsync<byte[]?>(Create, new { key = new PgBytes(RandomNumberGenerator.GetBytes(32)), ct })
                    : await connection.ExecuteScalarAsync<byte[]?>(Read, new { ct });
            }

            _key = key;
            return key;
        }
        finally
        {
            _keyLock.Release();
        }
    }
}

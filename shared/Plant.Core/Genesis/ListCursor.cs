using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Plant.Core.Genesis;

/// <summary>
/// Where a listing stopped: the name and id of the last entity of a page, as an opaque base64url token. Keyset
/// paging: a page never skips or repeats an entity that stays current while a client pages through.
/// </summary>
internal sealed record ListCursor(string Name, Guid EntityId)
{
    public string Format() =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Token(Name, EntityId)));

    /// <exception cref="FormatException">Not a token <see cref="Format"/> wrote.</exception>
    public static ListCursor Parse(string text)
    {
        try
        {
            var token = JsonSerializer.Deserialize<Token>(Base64Url.DecodeFromChars(text));
            // A name PostgreSQL could not hold (NUL) was never a listed name.
            return token is { N: not null } && !token.N.Contains('\0', StringComparison.Ordinal)
                ? new ListCursor(token.N, token.I)
                : throw new FormatException("The cursor is not one a listing gave.");
        }
        catch (Exception e) when (e is JsonException or FormatException or DecoderFallbackException or InvalidOperationException)
        {
            throw new FormatException("The cursor is not one a listing gave.", e);
        }
    }

    private sealed record Token(string? N, Guid I);
}

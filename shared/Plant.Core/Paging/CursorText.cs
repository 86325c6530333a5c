using System.Buffers;
using System.Buffers.Text;

namespace Plant.Core.Paging;

/// <summary>URL-safe base64 without padding (RFC 4648 section 5), so that a cursor needs no escaping in a query string.</summary>
internal static class CursorText
{
    public static string Encode(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);

    /// <summary>
    /// Only the 64 characters of the alphabet, no padding, no whitespace (which the decoder would skip), and only the
    /// canonical spelling of the bytes.
    /// </summary>
    public static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = [];
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_'))
            {
                return false;
            }
        }

        var buffer = new byte[Base64Url.GetMaxDecodedLength(text.Length)];
        if (Base64Url.DecodeFromChars(text, buffer, out _, out var written) != OperationStatus.Done)
        {
            return false;
        }

        bytes = buffer[..written];
        // One spelling per cursor: the unused low bits of a last character must be zero, as we write them.
        return Base64Url.EncodeToString(bytes) == text;
    }
}

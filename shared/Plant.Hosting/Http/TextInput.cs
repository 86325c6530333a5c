using System.Text;

namespace Plant.Hosting;

/// <summary>What text from a client may be stored: PostgreSQL text holds no NUL, and UTF-8 holds no lone surrogate.</summary>
public static class TextInput
{
    private static readonly UTF8Encoding s_strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>No NUL (PostgreSQL text cannot hold it) and valid UTF-16 (no lone surrogates).</summary>
    public static bool IsStorable(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            s_strict.GetByteCount(value);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>Storable and free of control characters (identifiers, keys, addresses).</summary>
    public static bool IsPlain(string value) => IsStorable(value) && !value.Any(char.IsControl);
}

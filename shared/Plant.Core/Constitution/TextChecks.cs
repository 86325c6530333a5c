using System.Buffers;
using System.Globalization;

namespace Plant.Core.Constitution;

/// <summary>Character-level checks of free text: hand-written scans with a vectorised fast path for plain ASCII.</summary>
internal static class TextChecks
{
    // SearchValues rather than IndexOfAnyExceptInRange: on this runtime the range overloads allocate on every call.
    private static readonly SearchValues<char> s_printableAscii = SearchValues.Create(
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    /// <summary>
    /// Whether the text holds a control character (Cc), an invisible formatting character (Cf: zero-width spaces,
    /// bidirectional overrides, the byte-order mark), a line or paragraph separator, or a lone surrogate.
    /// Tabs and line breaks are allowed when <paramref name="allowLineBreaks"/>.
    /// </summary>
    public static bool HasControlCharacters(ReadOnlySpan<char> text, bool allowLineBreaks)
    {
        // Printable ASCII is by far the common case: skip it in vector-sized steps.
        var i = text.IndexOfAnyExcept(s_printableAscii);
        while (i >= 0)
        {
            var c = text[i];
            if (c < ' ' || c == '\u007F')
            {
                if (!allowLineBreaks || c is not ('\t' or '\n' or '\r'))
                {
                    return true;
                }
            }
            else if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return true;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return true;
            }
            else if (c >= '\u0080')
            {
                var category = CharUnicodeInfo.GetUnicodeCategory(c);
                if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
                {
                    return true;
                }
            }

            var next = text[(i + 1)..].IndexOfAnyExcept(s_printableAscii);
            i = next < 0 ? -1 : i + 1 + next;
        }

        return false;
    }

    /// <summary>
    /// Whether the text holds at least <paramref name="minimum"/> words. A word is a run of letters or digits; in
    /// scripts written without spaces (Chinese, Japanese, Thai: Unicode "other letters") each letter counts as one.
    /// </summary>
    public static bool HasWords(ReadOnlySpan<char> text, int minimum)
    {
        var words = 0;
        var inWord = false;
        foreach (var c in text)
        {
            bool wordCharacter;
            if (c < '\u0080')
            {
                wordCharacter = char.IsAsciiLetterOrDigit(c);
            }
            else if (IsUnspacedScript(c) && CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.OtherLetter)
            {
                if (++words >= minimum)
                {
                    return true;
                }

                inWord = false;
                continue;
            }
            else
            {
                wordCharacter = char.IsLetterOrDigit(c) || char.IsSurrogate(c);
            }

            if (wordCharacter && !inWord && ++words >= minimum)
            {
                return true;
            }

            inWord = wordCharacter;
        }

        return false;
    }

    /// <summary>True when <paramref name="text"/> starts or ends with white space.</summary>
    public static bool HasSurroundingWhiteSpace(ReadOnlySpan<char> text) =>
        text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]));

    /// <summary>Scripts written without spaces between words: Thai, Lao, Myanmar, Khmer, and Chinese and Japanese (Korean is spaced).</summary>
    private static bool IsUnspacedScript(char c) =>
        c is (>= '\u0E00' and <= '\u0EFF') or (>= '\u1000' and <= '\u109F') or (>= '\u1780' and <= '\u17FF')
        || (c >= '\u2E80' && c is not ((>= '\u3130' and <= '\u318F') or (>= '\uAC00' and <= '\uD7AF')));
}

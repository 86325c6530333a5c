using System.Globalization;
using System.Text;

namespace Plant.Core.Embeddings;

/// <summary>
/// Splits text into lower-case words for the hashing embedder: lower-cased with the invariant culture, Latin
/// accents folded ("Café" is "cafe"), and cut into maximal runs of Unicode letters and digits. Everything else
/// (punctuation, symbols, spaces) separates words.
/// </summary>
/// <remarks>
/// Accents are folded with a table of our own rather than <see cref="string.Normalize()"/>: with invariant
/// globalization (as these apps run) Normalize returns text unchanged, and with ICU its answer would depend on the
/// machine's ICU version, while the vectors must be the same everywhere.
/// </remarks>
internal static class TextTokenizer
{
    // Words so frequent in descriptions that they only add noise. Deliberately tiny: a longer list starts removing
    // words that carry meaning in a skills catalogue ("it", "us", "on-call").
    private static readonly HashSet<string> s_stopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "of", "on", "or",
        "the", "that", "this", "to", "with",
    };

    private static readonly Dictionary<char, string> s_folds = Folds(
        ("àáâãäåāăą", "a"), ("çćĉċč", "c"), ("ďđð", "d"), ("èéêëēĕėęě", "e"), ("ĝğġģ", "g"), ("ĥħ", "h"),
        ("ìíîïĩīĭįı", "i"), ("ĵ", "j"), ("ķ", "k"), ("ĺļľŀł", "l"), ("ñńņňŉ", "n"), ("òóôõöøōŏő", "o"),
        ("ŕŗř", "r"), ("śŝşš", "s"), ("ţťŧ", "t"), ("ùúûüũūŭůűų", "u"), ("ŵ", "w"), ("ýÿŷ", "y"), ("źżž", "z"),
        ("ß", "ss"), ("æ", "ae"), ("œ", "oe"), ("þ", "th"));

    /// <summary>The words of <paramref name="text"/> in order, stop words removed unless nothing else is left.</summary>
    public static List<string> Words(string text)
    {
        var all = new List<string>();
        var word = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                var lower = Rune.ToLowerInvariant(rune);
                if (lower.IsBmp && s_folds.TryGetValue((char)lower.Value, out var folded))
                {
                    word.Append(folded);
                }
                else
                {
                    word.Append(lower.ToString());
                }
            }
            else if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark)
            {
                // A combining accent written separately ("e\u0301"): drop it and keep the word going.
            }
            else if (word.Length > 0)
            {
                all.Add(word.ToString());
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            all.Add(word.ToString());
        }

        var content = all.FindAll(w => !s_stopWords.Contains(w));
        return content.Count > 0 ? content : all;
    }

    private static Dictionary<char, string> Folds(params (string Accented, string Plain)[] groups)
    {
        var folds = new Dictionary<char, string>();
        foreach (var (accented, plain) in groups)
        {
            foreach (var c in accented)
            {
                folds.Add(c, plain);
            }
        }

        return folds;
    }
}

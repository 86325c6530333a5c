using System.Buffers;

namespace Plant.Core.Constitution;

/// <summary>Kinds of personal data and secrets that free text must not hold.</summary>
[Flags]
internal enum SensitiveKind
{
    None = 0,
    Email = 1,
    Phone = 2,
    PaymentCard = 4,
    ApiKey = 8,
    BearerToken = 16,
    PrivateKey = 32,
}

/// <summary>
/// Finds personal data and secrets in free text by hand-written scans rather than regular expressions: each
/// detector first jumps with a vectorised search to the few places worth a look (an '@', a digit, a known key
/// prefix), so ordinary prose costs a few passes at memory speed and allocates nothing.
/// </summary>
/// <remarks>
/// The detectors prefer missing an unusual form to flagging ordinary catalog text: a phone number needs a '+' or
/// separators between its digit groups (a bare run of digits may be an id or an amount), dates and thousands
/// groupings are not phone numbers, a card number must pass the Luhn check, and a key must follow its issuer's
/// prefix with a token of realistic length.
/// </remarks>
internal static class SensitiveText
{
    // Matched with case: the issuers' prefixes are case-sensitive, and a case-sensitive search has fewer false
    // candidates in prose to verify. "Bearer" is listed in the three cases it is written in.
    private static readonly string[] s_keyPrefixes =
    [
        "sk-", "sk_live_", "sk_test_", "rk_live_", "rk_test_", "AKIA", "ASIA", "ghp_", "gho_", "ghu_", "ghs_", "ghr_",
        "github_pat_", "glpat-", "xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "AIza", "npm_", "eyJ", "-----BEGIN",
        "Bearer", "bearer", "BEARER",
    ];

    private static readonly SearchValues<string> s_prefixes = SearchValues.Create(s_keyPrefixes, StringComparison.Ordinal);

    /// <summary>The shortest key of all (<see cref="KeyAt"/>): "xoxb-" and 10 characters.</summary>
    private const int ShortestKey = 15;

    /// <summary>From this length on, the vectorised prefix search is faster than a look at each word.</summary>
    private const int VectorisedSearchLength = 64;

    // SearchValues rather than IndexOfAnyInRange: on this runtime the range overloads allocate on every call.
    private static readonly SearchValues<char> s_digits = SearchValues.Create("0123456789");

    /// <summary>Every kind of sensitive content found in <paramref name="text"/>.</summary>
    public static SensitiveKind Find(ReadOnlySpan<char> text)
    {
        var found = SensitiveKind.None;
        if (text.Contains('@') && HasEmail(text))
        {
            found |= SensitiveKind.Email;
        }

        if (text.ContainsAny(s_digits))
        {
            found |= FindNumbers(text);
        }

        if (text.Length >= ShortestKey)
        {
            found |= FindKeys(text);
        }

        return found;
    }

    private static bool HasEmail(ReadOnlySpan<char> text)
    {
        var at = text.IndexOf('@');
        while (at >= 0)
        {
            var local = 0;
            while (at - local - 1 >= 0 && IsLocalPartCharacter(text[at - local - 1]))
            {
                local++;
            }

            if (local > 0 && IsDomain(text[(at + 1)..]))
            {
                return true;
            }

            var next = text[(at + 1)..].IndexOf('@');
            at = next < 0 ? -1 : at + 1 + next;
        }

        return false;
    }

    private static bool IsLocalPartCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-';

    /// <summary>A domain at the start of <paramref name="text"/>: labels of letters, digits and '-', at least two, the last of 2+ letters.</summary>
    private static bool IsDomain(ReadOnlySpan<char> text)
    {
        var labels = 0;
        var i = 0;
        while (true)
        {
            var start = i;
            var letters = true;
            while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '-'))
            {
                letters &= char.IsAsciiLetter(text[i]);
                i++;
            }

            var length = i - start;
            if (length == 0)
            {
                return false;
            }

            labels++;
            var more = i + 1 < text.Length && text[i] == '.' && char.IsAsciiLetterOrDigit(text[i + 1]);
            if (!more)
            {
                return labels >= 2 && letters && length >= 2;
            }

            i++;
        }
    }

    /// <summary>Phone and payment card numbers: every run of digits and separators, judged as a whole.</summary>
    private static SensitiveKind FindNumbers(ReadOnlySpan<char> text)
    {
        var found = SensitiveKind.None;
        var i = text.IndexOfAny(s_digits);
        while (i >= 0)
        {
            var end = ReadNumberRun(text, i, out var run);
            if (run.Digits > 0)
            {
                var start = run.Start;
                var isolated = (start == 0 || !char.IsLetterOrDigit(text[start - 1])) && (end >= text.Length || !char.IsLetterOrDigit(text[end]));
                if (isolated)
                {
                    if (run.IsPaymentCard(text[start..end]))
                    {
                        found |= SensitiveKind.PaymentCard;
                    }
                    else if (run.IsPhone(text[start..end]))
                    {
                        found |= SensitiveKind.Phone;
                    }
                }
            }

            if (end >= text.Length)
            {
                break;
            }

            var next = text[end..].IndexOfAny(s_digits);
            i = next < 0 ? -1 : end + next;
        }

        return found;
    }

    /// <summary>
    /// Reads the run of digits starting at <paramref name="first"/> (with a '+' or '(' just before it), joined by
    /// single separators (space, '-', '.', or a parenthesised group); returns the index after its last digit or ')'.
    /// </summary>
    private static int ReadNumberRun(ReadOnlySpan<char> text, int first, out NumberRun run)
    {
        run = default;
        run.Start = first;
        if (first > 0 && text[first - 1] is '+' or '(')
        {
            run.Start = first - 1;
            run.Plus = text[first - 1] == '+';
            run.Parenthesis = text[first - 1] == '(';
        }

        var i = first;
        var end = first;
        var group = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                run.Digits++;
                group++;
                i++;
                end = i;
                continue;
            }

            // A separator continues the run only when a digit (or a parenthesised group) follows it.
            var continues = c switch
            {
                ' ' or '-' or '.' => i + 1 < text.Length && (char.IsAsciiDigit(text[i + 1]) || (c == ' ' && text[i + 1] == '(' && i + 2 < text.Length && char.IsAsciiDigit(text[i + 2]))),
                ')' => run.Parenthesis && i + 1 < text.Length && (char.IsAsciiDigit(text[i + 1]) || (text[i + 1] is ' ' or '-' && i + 2 < text.Length && char.IsAsciiDigit(text[i + 2]))),
                '(' => i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]),
                _ => false,
            };
            if (!continues)
            {
                if (c == ')' && run.Parenthesis)
                {
                    end = i + 1;
                }

                break;
            }

            run.Note(group, c);
            group = 0;
            if (c is ')' or '(')
            {
                run.Parenthesis = true;
            }

            i++;
            if (c == ')' && text[i] is ' ' or '-')
            {
                i++;
            }
        }

        run.Note(group, '\0');
        return end;
    }

    /// <summary>
    /// Keys, tokens and private-key headers, each starting at a word boundary. Longer text is searched for the
    /// prefixes with the vectorised multi-string search; on short text (names, tags, attribute values) that search
    /// tries each prefix in turn, so a plain look at each word's first character is faster there.
    /// </summary>
    private static SensitiveKind FindKeys(ReadOnlySpan<char> text)
    {
        var found = SensitiveKind.None;
        if (text.Length < VectorisedSearchLength)
        {
            // Every key is at least ShortestKey characters long, so none can start later than this.
            for (var at = 0; at <= text.Length - ShortestKey; at++)
            {
                if ((at == 0 || !IsTokenCharacter(text[at - 1])) && IsKeyStart(text[at..]))
                {
                    found |= KeyAt(text[at..]);
                }
            }

            return found;
        }

        var offset = 0;
        while (offset < text.Length)
        {
            var hit = text[offset..].IndexOfAny(s_prefixes);
            if (hit < 0)
            {
                break;
            }

            var at = offset + hit;
            if (at == 0 || !IsTokenCharacter(text[at - 1]))
            {
                found |= KeyAt(text[at..]);
            }

            offset = at + 1;
        }

        return found;
    }

    /// <summary>Whether the text starts with the first two characters of one of <see cref="s_keyPrefixes"/>.</summary>
    private static bool IsKeyStart(ReadOnlySpan<char> text) => text.Length >= 2 && text[0] switch
    {
        's' or 'r' => text[1] == 'k',
        'A' => text[1] is 'K' or 'S' or 'I',
        'g' => text[1] is 'h' or 'i' or 'l',
        'x' => text[1] == 'o',
        'n' => text[1] == 'p',
        'e' => text[1] == 'y',
        '-' => text[1] == '-',
        'B' => text[1] is 'e' or 'E',
        'b' => text[1] == 'e',
        _ => false,
    };

    /// <summary>What the text at a prefix hit is, if anything: its issuer's exact prefix followed by a realistic token.</summary>
    private static SensitiveKind KeyAt(ReadOnlySpan<char> text)
    {
        if (text.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            var header = text[10..Math.Min(text.Length, 80)];
            var close = header.IndexOf("-----", StringComparison.Ordinal);
            return close > 0 && header[..close].Contains("PRIVATE KEY", StringComparison.Ordinal) ? SensitiveKind.PrivateKey : SensitiveKind.None;
        }

        if (text.StartsWith("Bearer", StringComparison.Ordinal) || text.StartsWith("bearer", StringComparison.Ordinal) || text.StartsWith("BEARER", StringComparison.Ordinal))
        {
            var i = 6;
            if (i < text.Length && text[i] == ':')
            {
                i++;
            }

            var spaces = 0;
            while (i < text.Length && text[i] == ' ')
            {
                i++;
                spaces++;
            }

            return spaces > 0 && Run(text[i..], IsBearerCharacter) >= 20 ? SensitiveKind.BearerToken : SensitiveKind.None;
        }

        // One look at the first character picks the few prefixes worth comparing.
        var key = text[0] switch
        {
            's' or 'r' when text.StartsWith("sk_live_", StringComparison.Ordinal) || text.StartsWith("sk_test_", StringComparison.Ordinal)
                || text.StartsWith("rk_live_", StringComparison.Ordinal) || text.StartsWith("rk_test_", StringComparison.Ordinal)
                => Run(text[8..], char.IsAsciiLetterOrDigit) >= 16,
            's' when text.StartsWith("sk-", StringComparison.Ordinal) => Run(text[3..], IsTokenCharacter) >= 20,
            'A' when text.StartsWith("AKIA", StringComparison.Ordinal) || text.StartsWith("ASIA", StringComparison.Ordinal)
                => Run(text[4..], IsUpperOrDigit) == 16 && (text.Length == 20 || !char.IsAsciiLetterOrDigit(text[20])),
            'A' when text.StartsWith("AIza", StringComparison.Ordinal) => Run(text[4..], IsTokenCharacter) >= 30,
            'g' when text.StartsWith("github_pat_", StringComparison.Ordinal) => Run(text[11..], IsWordCharacter) >= 22,
            'g' when text.Length > 4 && text[1] == 'h' && text[2] is 'p' or 'o' or 'u' or 's' or 'r' && text[3] == '_'
                => Run(text[4..], char.IsAsciiLetterOrDigit) >= 30,
            'g' when text.StartsWith("glpat-", StringComparison.Ordinal) => Run(text[6..], IsTokenCharacter) >= 20,
            'x' when text.Length > 5 && text.StartsWith("xox", StringComparison.Ordinal) && text[3] is 'b' or 'p' or 'a' or 'r' or 's' && text[4] == '-'
                => Run(text[5..], IsSlackCharacter) >= 10,
            'n' when text.StartsWith("npm_", StringComparison.Ordinal) => Run(text[4..], char.IsAsciiLetterOrDigit) >= 30,
            'e' when text.StartsWith("eyJ", StringComparison.Ordinal) => IsJwt(text),
            _ => false,
        };
        return key ? SensitiveKind.ApiKey : SensitiveKind.None;
    }

    /// <summary>A JSON Web Token: three base64url segments, the first (a JSON header) starting "eyJ".</summary>
    private static bool IsJwt(ReadOnlySpan<char> text)
    {
        var header = Run(text, IsBase64UrlCharacter);
        if (header < 10 || header >= text.Length || text[header] != '.')
        {
            return false;
        }

        var rest = text[(header + 1)..];
        var payload = Run(rest, IsBase64UrlCharacter);
        return payload >= 10 && payload < rest.Length && rest[payload] == '.';
    }

    private static int Run(ReadOnlySpan<char> text, Func<char, bool> accepts)
    {
        var i = 0;
        while (i < text.Length && accepts(text[i]))
        {
            i++;
        }

        return i;
    }

    private static bool IsTokenCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';

    private static bool IsWordCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static bool IsUpperOrDigit(char c) => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c);

    private static bool IsSlackCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c == '-';

    private static bool IsBase64UrlCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';

    private static bool IsBearerCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '+' or '/' or '=';

    /// <summary>The shape of one run of digits and separators.</summary>
    private struct NumberRun
    {
        public int Start;
        public int Digits;
        public int Groups;
        public int FirstGroup;
        public int LastGroup;
        public int MaxGroup;
        public bool Plus;
        public bool Parenthesis;
        public bool AllThreeAfterFirst;
        public char Separator;
        public bool MixedSeparators;

        /// <summary>Records a finished group of <paramref name="digits"/> digits ended by <paramref name="separator"/> ('\0' at the end).</summary>
        public void Note(int digits, char separator)
        {
            if (digits > 0)
            {
                Groups++;
                if (Groups == 1)
                {
                    FirstGroup = digits;
                    AllThreeAfterFirst = true;
                }
                else
                {
                    AllThreeAfterFirst &= digits == 3;
                }

                LastGroup = digits;
                MaxGroup = Math.Max(MaxGroup, digits);
            }

            if (separator is ' ' or '-' or '.')
            {
                MixedSeparators |= Separator != '\0' && Separator != separator;
                Separator = separator;
            }
        }

        /// <summary>13 to 19 digits, alone or in groups split by spaces or dashes, passing the Luhn check.</summary>
        public readonly bool IsPaymentCard(ReadOnlySpan<char> run)
        {
            if (Digits is < 13 or > 19 || Plus || Parenthesis || (Groups > 1 && Separator is not (' ' or '-')) || MixedSeparators)
            {
                return false;
            }

            var sum = 0;
            var doubled = false;
            for (var i = run.Length - 1; i >= 0; i--)
            {
                if (!char.IsAsciiDigit(run[i]))
                {
                    continue;
                }

                var d = run[i] - '0';
                if (doubled)
                {
                    d = d * 2 > 9 ? (d * 2) - 9 : d * 2;
                }

                sum += d;
                doubled = !doubled;
            }

            return sum % 10 == 0;
        }

        /// <summary>
        /// An international number ('+' and 8 to 15 digits), or 9 to 15 digits in at least two groups of at most 5
        /// that are neither a date (2026-01-14), an IPv4 address nor a thousands grouping (1 000 000).
        /// </summary>
        public readonly bool IsPhone(ReadOnlySpan<char> run)
        {
            if (Plus)
            {
                return Digits is >= 8 and <= 15;
            }

            if (Digits is < 9 or > 15 || Groups < 2 || MaxGroup > 5)
            {
                return false;
            }

            var isDate = FirstGroup == 4 && run.Length >= 10 && run[4] == '-' && run[7] == '-';
            var isAddress = Separator == '.' && !MixedSeparators && !Parenthesis && Groups == 4 && MaxGroup <= 3;
            var isThousands = AllThreeAfterFirst && FirstGroup <= 3 && !Parenthesis && !MixedSeparators && Separator is ' ' or '.';
            return !isDate && !isAddress && !isThousands;
        }
    }
}

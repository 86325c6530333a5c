using System.Globalization;

namespace Plant.Core.Canonical;

/// <summary>
/// Formats a double as ECMAScript's Number.prototype.toString does (ECMA-262, Number::toString), which RFC 8785
/// section 3.2.2.3 requires for JSON numbers.
/// </summary>
/// <remarks>
/// The significant digits are the shortest that parse back to the same double, and of those the closest to it;
/// .NET's round-trip format ("R", shortest since .NET Core 3.0) yields exactly those. What this class adds is
/// the layout ECMAScript prescribes from the digits and the decimal exponent: plain integers up to 21 digits,
/// plain fractions down to 1e-7, otherwise exponent notation with "e+" or "e-" and no leading zeros.
/// </remarks>
internal static class EcmaScriptNumber
{
    /// <summary>Longest output: "-" + 17 digits + "." + "e-324" and change; ES plain forms are at most 21 digits + "0." + 6 zeros.</summary>
    public const int MaxLength = 32;

    /// <summary>Writes <paramref name="value"/> as UTF-8 into <paramref name="destination"/> and returns the length.</summary>
    /// <exception cref="CanonicalJsonException">NaN or infinity.</exception>
    public static int Format(double value, Span<byte> destination)
    {
        if (!double.IsFinite(value))
        {
            throw new CanonicalJsonException($"{value.ToString(CultureInfo.InvariantCulture)} is not a JSON number: RFC 8785 allows only finite IEEE 754 doubles.");
        }

        if (value == 0)
        {
            // Both +0 and -0 are "0".
            destination[0] = (byte)'0';
            return 1;
        }

        // "R" gives forms such as 123.456, 1E+21, 1.2345E-07, 5E-324: shortest round-trip digits and an exponent.
        Span<byte> shortest = stackalloc byte[MaxLength];
        if (!value.TryFormat(shortest, out var written, "R", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("A double's round-trip form did not fit in 32 bytes.");
        }

        shortest = shortest[..written];
        var negative = shortest[0] == (byte)'-';
        if (negative)
        {
            shortest = shortest[1..];
        }

        // Collect digits d1..dk and n, such that the value is 0.d1..dk x 10^n (ECMA-262's k and n).
        Span<byte> digits = stackalloc byte[MaxLength];
        var k = 0;
        var pointAt = -1;
        var exponent = 0;
        for (var i = 0; i < shortest.Length; i++)
        {
            var c = shortest[i];
            if (c == (byte)'.')
            {
                pointAt = k;
            }
            else if (c is (byte)'E' or (byte)'e')
            {
                exponent = int.Parse(shortest[(i + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                break;
            }
            else
            {
                digits[k++] = c;
            }
        }

        var n = (pointAt < 0 ? k : pointAt) + exponent;
        var leading = 0;
        while (digits[leading] == (byte)'0')
        {
            leading++;
            n--;
        }

        digits = digits[leading..k];
        k = digits.Length;
        while (digits[k - 1] == (byte)'0')
        {
            k--;
        }

        digits = digits[..k];
        var position = 0;
        if (negative)
        {
            destination[position++] = (byte)'-';
        }

        if (k <= n && n <= 21)
        {
            digits.CopyTo(destination[position..]);
            position += k;
            destination.Slice(position, n - k).Fill((byte)'0');
            return position + n - k;
        }

        if (0 < n && n <= 21)
        {
            digits[..n].CopyTo(destination[position..]);
            position += n;
            destination[position++] = (byte)'.';
            digits[n..].CopyTo(destination[position..]);
            return position + k - n;
        }

        if (-6 < n && n <= 0)
        {
            destination[position++] = (byte)'0';
            destination[position++] = (byte)'.';
            destination.Slice(position, -n).Fill((byte)'0');
            position += -n;
            digits.CopyTo(destination[position..]);
            return position + k;
        }

        destination[position++] = digits[0];
        if (k > 1)
        {
            destination[position++] = (byte)'.';
            digits[1..].CopyTo(destination[position..]);
            position += k - 1;
        }

        destination[position++] = (byte)'e';
        var e = n - 1;
        destination[position++] = e < 0 ? (byte)'-' : (byte)'+';
        if (!Math.Abs(e).TryFormat(destination[position..], out var exponentLength, provider: CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("An exponent did not fit.");
        }

        return position + exponentLength;
    }

    /// <summary>The ECMAScript string of <paramref name="value"/>.</summary>
    public static string ToString(double value)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        return System.Text.Encoding.ASCII.GetString(buffer[..Format(value, buffer)]);
    }
}

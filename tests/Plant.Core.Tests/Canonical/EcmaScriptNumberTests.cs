using System.Globalization;
using Plant.Core.Canonical;

namespace Plant.Core.Tests.Canonical;

public sealed class EcmaScriptNumberTests
{
    /// <summary>RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical form.</summary>
    [Theory]
    [InlineData("0000000000000000", "0")]
    [InlineData("8000000000000000", "0")]
    [InlineData("0000000000000001", "5e-324")]
    [InlineData("8000000000000001", "-5e-324")]
    [InlineData("7fefffffffffffff", "1.7976931348623157e+308")]
    [InlineData("ffefffffffffffff", "-1.7976931348623157e+308")]
    [InlineData("4340000000000000", "9007199254740992")]
    [InlineData("c340000000000000", "-9007199254740992")]
    [InlineData("4430000000000000", "295147905179352830000")]
    [InlineData("44b52d02c7e14af5", "9.999999999999997e+22")]
    [InlineData("44b52d02c7e14af6", "1e+23")]
    [InlineData("44b52d02c7e14af7", "1.0000000000000001e+23")]
    [InlineData("444b1ae4d6e2ef4e", "999999999999999700000")]
    [InlineData("444b1ae4d6e2ef4f", "999999999999999900000")]
    [InlineData("444b1ae4d6e2ef50", "1e+21")]
    [InlineData("3eb0c6f7a0b5ed8c", "9.999999999999997e-7")]
    [InlineData("3eb0c6f7a0b5ed8d", "0.000001")]
    [InlineData("41b3de4355555553", "333333333.3333332")]
    [InlineData("41b3de4355555554", "333333333.33333325")]
    [InlineData("41b3de4355555555", "333333333.3333333")]
    [InlineData("41b3de4355555556", "333333333.3333334")]
    [InlineData("41b3de4355555557", "333333333.33333343")]
    [InlineData("becbf647612f3696", "-0.0000033333333333333333")]
    [InlineData("43143ff3c1cb0959", "1424953923781206.2")]
    public void Formats_the_numbers_of_RFC_8785_appendix_B(string bits, string expected)
    {
        Assert.Equal(expected, CanonicalJson.FormatNumber(FromBits(bits)));
    }

    [Theory]
    [InlineData("7fffffffffffffff")]
    [InlineData("7ff0000000000000")]
    [InlineData("fff0000000000000")]
    public void Refuses_NaN_and_infinity_as_appendix_B_requires(string bits)
    {
        Assert.Throws<CanonicalJsonException>(() => CanonicalJson.FormatNumber(FromBits(bits)));
    }

    /// <summary>
    /// es-numbers.txt holds 5,889 doubles (random bit patterns, decimals, every decade, powers of two and their
    /// neighbours) as node's Number.prototype.toString writes them; es-numbers.js beside it makes the file.
    /// </summary>
    [Fact]
    public void Agrees_with_ECMAScript_on_thousands_of_doubles()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Canonical", "es-numbers.txt"));
        Assert.True(lines.Length > 5000);
        var mismatches = lines
            .Select(line => line.Split(' '))
            .Select(parts => (parts[0], Expected: parts[1], Actual: CanonicalJson.FormatNumber(FromBits(parts[0]))))
            .Where(row => row.Expected != row.Actual)
            .Take(5)
            .ToList();

        Assert.Empty(mismatches);
    }

    [Theory]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(1.5e-7, "1.5e-7")]
    [InlineData(1e-6, "0.000001")]
    [InlineData(-123.456, "-123.456")]
    [InlineData(0.1, "0.1")]
    [InlineData(100, "100")]
    public void Switches_to_exponent_notation_where_ECMAScript_does(double value, string expected)
    {
        Assert.Equal(expected, CanonicalJson.FormatNumber(value));
    }

    private static double FromBits(string hex) =>
        BitConverter.Int64BitsToDouble(long.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plant.Core.Canonical;

namespace Plant.Core.Tests.Canonical;

public sealed class CanonicalJsonTests
{
    // RFC 8785 section 3.2.2: the input, with its odd number forms and escapes.
    private const string RfcInput = """
        {
          "numbers": [333333333.33333329, 1E30, 4.50,
                      2e-3, 0.000000000000000000000000001],
          "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
          "literals": [null, true, false]
        }
        """;

    // Section 3.2.3: its canonical form (as a C# string: \\ and \" are one character each).
    private const string RfcOutput = "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";

    // Section 3.2.4: the same as UTF-8 bytes.
    private const string RfcOutputHex =
        "7b226c69746572616c73223a5b6e756c6c2c747275652c66616c73655d2c226e756d62657273223a5b33333333333333"
        + "33332e333333333333332c31652b33302c342e352c302e3030322c31652d32375d2c22737472696e67223a22e282ac"
        + "245c75303030665c6e4127425c225c5c5c5c5c222f227d";

    [Fact]
    public void Canonicalises_the_example_of_RFC_8785_section_3_2_to_its_exact_bytes()
    {
        var canonical = CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(RfcInput));

        Assert.Equal(RfcOutput, Encoding.UTF8.GetString(canonical));
        Assert.Equal(RfcOutputHex, Convert.ToHexStringLower(canonical));
    }

    [Fact]
    public void Gives_the_same_bytes_from_an_element_a_node_and_text()
    {
        using var document = JsonDocument.Parse(RfcInput);
        var node = JsonNode.Parse(RfcInput);

        Assert.Equal(RfcOutput, Encoding.UTF8.GetString(CanonicalJson.Serialize(document.RootElement)));
        Assert.Equal(RfcOutput, Encoding.UTF8.GetString(CanonicalJson.Serialize(node)));
    }

    /// <summary>RFC 8785 section 3.2.3: names sort by UTF-16 code units, so the emoji (D83D DE00) comes before U+FB33.</summary>
    [Fact]
    public void Sorts_member_names_by_UTF16_code_units_as_in_RFC_8785_section_3_2_3()
    {
        const string input = """
            {
              "\u20ac": "Euro Sign",
              "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One",
              "\ud83d\ude00": "Emoji: Grinning Face",
              "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"
            }
            """;

        using var document = JsonDocument.Parse(CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(input)));

        Assert.Equal(
            ["Carriage Return", "One", "Control", "Latin Small Letter O With Diaeresis", "Euro Sign", "Emoji: Grinning Face", "Hebrew Letter Dalet With Dagesh"],
            document.RootElement.EnumerateObject().Select(p => p.Value.GetString()!));
        Assert.StartsWith("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\"", Encoding.UTF8.GetString(CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(input))), StringComparison.Ordinal);
    }

    [Fact]
    public void Sorts_nested_objects_and_keeps_array_order()
    {
        var canonical = CanonicalJson.Canonicalize("""{ "b": [3, {"z": 1, "a": [2, 1]}], "a": {"d": null, "c": "x"} }"""u8);

        Assert.Equal("""{"a":{"c":"x","d":null},"b":[3,{"a":[2,1],"z":1}]}""", Encoding.UTF8.GetString(canonical));
    }

    [Theory]
    [InlineData("""{"a":1,"a":2}""")]
    [InlineData("""{"x":{"b":1,"a":2,"b":3}}""")]
    [InlineData("""{"\u0061":1,"a":2}""")]
    public void Refuses_duplicate_member_names(string json)
    {
        var error = Assert.Throws<CanonicalJsonException>(() => CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(json)));

        Assert.Contains("appears twice", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""["\ud800"]""")]
    [InlineData("""["\udc00x"]""")]
    [InlineData("""{"\ud83d":1}""")]
    public void Refuses_lone_surrogates(string json)
    {
        var error = Assert.Throws<CanonicalJsonException>(() => CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(json)));

        Assert.Contains("surrogate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_lone_surrogate_in_a_node_string()
    {
        var node = new JsonObject { ["a"] = "x\ud800" };

        Assert.Throws<CanonicalJsonException>(() => CanonicalJson.Serialize(node));
    }

    [Theory]
    [InlineData("[1e400]")]
    [InlineData("[-1e309]")]
    public void Refuses_numbers_beyond_the_range_of_a_double(string json)
    {
        Assert.Throws<CanonicalJsonException>(() => CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Refuses_NaN_from_a_node()
    {
        var node = new JsonObject { ["n"] = double.NaN };

        Assert.Throws<CanonicalJsonException>(() => CanonicalJson.Serialize(node));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[1] [2]")]
    [InlineData("{'a':1}")]
    public void Refuses_malformed_text(string json)
    {
        Assert.Throws<CanonicalJsonException>(() => CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Refuses_invalid_UTF8()
    {
        byte[] json = [(byte)'[', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)']'];

        Assert.Throws<CanonicalJsonException>(() => CanonicalJson.Canonicalize(json));
    }

    [Theory]
    [InlineData("\"\\u00e9\\u4e2d\\ud83d\\ude00\"", "\"é中😀\"")]
    [InlineData("\"\\u001f\\u007f\\b\\t\"", "\"\\u001f\u007f\\b\\t\"")]
    [InlineData("\"a\\/b\"", "\"a/b\"")]
    [InlineData("\"é\"", "\"é\"")]
    public void Escapes_only_what_RFC_8785_escapes(string json, string expected)
    {
        Assert.Equal(expected, Encoding.UTF8.GetString(CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(json))));
    }

    [Theory]
    [InlineData("-0", "0")]
    [InlineData("0", "0")]
    [InlineData("-0.0", "0")]
    [InlineData("123456789012345", "123456789012345")]
    [InlineData("9007199254740993", "9007199254740992")]
    [InlineData("1.0", "1")]
    [InlineData("1E2", "100")]
    [InlineData("-12", "-12")]
    public void Reads_every_number_as_a_double(string json, string expected)
    {
        Assert.Equal(expected, Encoding.UTF8.GetString(CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(json))));
    }

    [Fact]
    public void Serialises_a_CLR_value_through_System_Text_Json()
    {
        var canonical = CanonicalJson.SerializeValue(
            new CanonicalSample(1.50m, "é", new Guid("00000000-0000-0000-0000-00000000000a")), TestJsonContext.Default.CanonicalSample);

        Assert.Equal("""{"Alpha":"é","Id":"00000000-0000-0000-0000-00000000000a","Zeta":1.5}""", Encoding.UTF8.GetString(canonical));
    }

    [Fact]
    public void Writes_node_values_that_hold_CLR_objects()
    {
        var node = new JsonObject { ["when"] = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), ["n"] = 4.50m, ["i"] = 7, ["b"] = true };

        Assert.Equal("""{"b":true,"i":7,"n":4.5,"when":"2026-01-02T03:04:05+00:00"}""", Encoding.UTF8.GetString(CanonicalJson.Serialize(node)));
    }

    [Fact]
    public void Hashes_canonical_bytes_as_lowercase_hex_SHA256()
    {
        Assert.Equal("ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb", CanonicalJson.Sha256Hex("a"u8));
    }

    /// <summary>Each thread keeps one hasher between calls: no call may see what an earlier one hashed.</summary>
    [Fact]
    public void Hashes_every_input_on_its_own_one_call_after_another_and_on_many_threads_at_once()
    {
        var inputs = Enumerable.Range(0, 64).Select(i => Encoding.UTF8.GetBytes(new string((char)('a' + (i % 26)), i * 37))).ToArray();

        Parallel.For(0, 4_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var input = inputs[i % inputs.Length];
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(input)), CanonicalJson.Sha256Hex(input));
        });
    }
}

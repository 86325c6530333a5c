using System.Text;
using System.Text.Json;
using Plant.Core.Canonical;

namespace Plant.Core.Tests.Canonical;

public sealed class CanonicalJsonWriterTests
{
    [Fact]
    public void Members_written_in_any_order_come_out_sorted()
    {
        using var writer = new CanonicalJsonWriter(16);
        writer.WriteStartObject();
        writer.WriteNumber("version", 2);
        writer.WriteStartArray("tags");
        writer.WriteString("b");
        writer.WriteString("a");
        writer.WriteEndArray();
        writer.WriteStartObject("attributes");
        writer.WriteBoolean("z", false);
        writer.WriteNull("m");
        writer.WriteEndObject();
        writer.WriteString("name", "Ａcme \"quoted\"\n");
        writer.WriteNumber("score", 0.5);
        writer.WriteEndObject();

        Assert.Equal(
            """{"attributes":{"m":null,"z":false},"name":"Ａcme \"quoted\"\n","score":0.5,"tags":["b","a"],"version":2}""",
            Encoding.UTF8.GetString(writer.WrittenSpan));
    }

    [Fact]
    public void Writes_an_id_as_its_lower_case_hyphenated_text_among_members_and_in_arrays()
    {
        var id = Guid.Parse("0B5D3C1E-7F00-4A4E-9A53-00000000000F");
        using var writer = new CanonicalJsonWriter(8);
        writer.WriteStartObject();
        writer.WriteString("z", id);
        writer.WriteStartArray("ids");
        writer.WriteString(id);
        writer.WriteString(Guid.Empty);
        writer.WriteEndArray();
        writer.WriteEndObject();

        Assert.Equal(
            """{"ids":["0b5d3c1e-7f00-4a4e-9a53-00000000000f","00000000-0000-0000-0000-000000000000"],"z":"0b5d3c1e-7f00-4a4e-9a53-00000000000f"}""",
            Encoding.UTF8.GetString(writer.WrittenSpan));
    }

    [Fact]
    public void Gives_the_same_bytes_as_canonicalising_the_same_value()
    {
        using var document = JsonDocument.Parse("""{"b":{"y":[1,2,{"k":"v"}],"x":"é"},"a":-0.25,"c":[]}""");
        using var writer = new CanonicalJsonWriter();
        writer.WriteStartObject();
        writer.WriteValue("c", document.RootElement.GetProperty("c"));
        writer.WriteValue("b", document.RootElement.GetProperty("b"));
        writer.WriteNumber("a", -0.25);
        writer.WriteEndObject();

        Assert.Equal(CanonicalJson.Serialize(document.RootElement), writer.ToArray());
        Assert.Equal(CanonicalJson.Sha256Hex(writer.WrittenSpan), writer.Sha256Hex());
    }

    [Fact]
    public void Refuses_a_name_written_twice_whether_in_order_or_not()
    {
        using var inOrder = new CanonicalJsonWriter();
        inOrder.WriteStartObject();
        inOrder.WriteNumber("a", 1);
        Assert.Throws<CanonicalJsonException>(() => inOrder.WritePropertyName("a"));

        using var outOfOrder = new CanonicalJsonWriter();
        outOfOrder.WriteStartObject();
        outOfOrder.WriteNumber("b", 1);
        outOfOrder.WriteNumber("a", 1);
        outOfOrder.WriteNumber("b", 2);
        Assert.Throws<CanonicalJsonException>(outOfOrder.WriteEndObject);
    }

    [Fact]
    public void Refuses_calls_in_an_impossible_order()
    {
        using var writer = new CanonicalJsonWriter();
        Assert.Throws<CanonicalJsonException>(() => writer.WritePropertyName("a"));
        writer.WriteStartObject();
        Assert.Throws<CanonicalJsonException>(() => writer.WriteString("no name"));
        Assert.Throws<CanonicalJsonException>(writer.WriteEndArray);
        Assert.Throws<InvalidOperationException>(() => writer.WrittenSpan.Length);
        writer.WriteEndObject();
        Assert.Throws<CanonicalJsonException>(writer.WriteNull);
    }

    [Fact]
    public void Large_integers_are_written_as_the_doubles_they_become()
    {
        using var writer = new CanonicalJsonWriter();
        writer.WriteStartArray();
        writer.WriteNumber(9007199254740993);
        writer.WriteNumber(long.MinValue);
        writer.WriteNumber(-9007199254740991);
        writer.WriteEndArray();

        Assert.Equal("[9007199254740992,-9223372036854776000,-9007199254740991]", Encoding.UTF8.GetString(writer.WrittenSpan));
    }

    [Fact]
    public void Reset_writes_a_new_value_in_the_same_buffer()
    {
        using var writer = new CanonicalJsonWriter();
        writer.WriteString(new string('x', 5000));
        writer.Reset();
        writer.WriteBoolean(true);

        Assert.Equal("true", Encoding.UTF8.GetString(writer.WrittenSpan));
    }

    [Fact]
    public void Escapes_a_character_wherever_it_falls_in_text_short_or_long()
    {
        char[] escaped = ['"', '\\', '\n', '\u001f', '\0'];
        string[] plain = ["a", "é", "中", "😀"];
        using var writer = new CanonicalJsonWriter(8);
        foreach (var length in new[] { 1, 2, 7, 15, 16, 17, 31, 32, 33, 63, 64, 65, 200 })
        {
            foreach (var filler in plain)
            {
                var text = string.Concat(Enumerable.Repeat(filler, length));
                for (var at = 0; at <= text.Length; at++)
                {
                    if (at > 0 && at < text.Length && char.IsLowSurrogate(text[at]))
                    {
                        continue;
                    }

                    foreach (var c in escaped)
                    {
                        var value = text.Insert(at, c.ToString());
                        writer.Reset();
                        writer.WriteString(value);

                        Assert.Equal(Expected(value), writer.ToArray());
                    }
                }
            }
        }

        // What RFC 8785 section 3.2.2.2 writes, one character at a time.
        static byte[] Expected(string value)
        {
            var text = new StringBuilder("\"");
            foreach (var c in value)
            {
                text.Append(c switch
                {
                    '"' => "\\\"",
                    '\\' => "\\\\",
                    '\n' => "\\n",
                    < ' ' => $"\\u{(int)c:x4}",
                    _ => c.ToString(),
                });
            }

            return Encoding.UTF8.GetBytes(text.Append('"').ToString());
        }
    }

    [Fact]
    public void Refuses_a_lone_surrogate_wherever_it_falls_in_text_short_or_long()
    {
        using var writer = new CanonicalJsonWriter(8);
        foreach (var length in new[] { 0, 1, 15, 16, 31, 32, 33, 64, 200 })
        {
            var text = new string('a', length);
            for (var at = 0; at <= length; at++)
            {
                foreach (var surrogate in new[] { '\ud83d', '\ude00' })
                {
                    writer.Reset();
                    var value = text.Insert(at, surrogate.ToString());

                    var error = Assert.Throws<CanonicalJsonException>(() => writer.WriteString(value));
                    Assert.Contains("surrogate", error.Message, StringComparison.Ordinal);
                }
            }
        }
    }

    [Fact]
    public void A_name_encoded_beforehand_is_written_ordered_and_checked_as_its_text_is()
    {
        var quoted = new CanonicalJsonName("say \"hi\"\n");
        var accented = new CanonicalJsonName("é");

        using var encoded = new CanonicalJsonWriter();
        encoded.WriteStartObject();
        encoded.WritePropertyName(accented);
        encoded.WriteNumber(1);
        encoded.WriteNumber("b", 2);
        encoded.WritePropertyName(quoted);
        encoded.WriteNumber(3);
        encoded.WriteEndObject();

        Assert.Equal("""{"b":2,"say \"hi\"\n":3,"é":1}""", Encoding.UTF8.GetString(encoded.WrittenSpan));
        Assert.Equal("é", accented.ToString());

        using var repeated = new CanonicalJsonWriter();
        repeated.WriteStartObject();
        repeated.WriteNumber("é", 1);
        Assert.Throws<CanonicalJsonException>(() => repeated.WritePropertyName(accented));
        Assert.Throws<CanonicalJsonException>(() => new CanonicalJsonName("\ud800"));
    }

    [Fact]
    public void Sorts_objects_nested_deeper_than_a_parser_allows_by_default()
    {
        const int Depth = 100;
        using var writer = new CanonicalJsonWriter(16);
        for (var i = 0; i < Depth; i++)
        {
            writer.WriteStartObject();
            writer.WriteNumber("b", i);
            writer.WritePropertyName("a");
        }

        writer.WriteNull();
        for (var i = 0; i < Depth; i++)
        {
            writer.WriteEndObject();
        }

        var expected = new StringBuilder().Insert(0, "{\"a\":", Depth).Append("null");
        for (var i = Depth - 1; i >= 0; i--)
        {
            expected.Append(",\"b\":").Append(i).Append('}');
        }

        Assert.Equal(expected.ToString(), Encoding.UTF8.GetString(writer.WrittenSpan));
    }
}

using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using static Plant.Core.Constitution.ConstitutionLimits;
using static Plant.Core.Constitution.ConstitutionRules;

namespace Plant.Core.Constitution;

/// <summary>
/// The L0 checks of a draft's attributes: a JSON object, small and shallow enough, with sane keys, and no personal
/// data or secrets in its keys or string values at any depth. One walk over the element computes the compact size
/// and the depth and scans the text; it reads the raw UTF-8 of the document, so a flat object costs no allocation.
/// </summary>
internal static class AttributeRules
{
    private const string Field = "attributes";

    /// <summary>Text longer than this is decoded into a pooled buffer instead of the stack.</summary>
    private const int StackChars = 256;

    private static readonly SearchValues<byte> s_printableAscii = SearchValues.Create(
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"u8);

    public static void Check(JsonElement attributes, ref ViolationCollector violations)
    {
        // An absent or null attributes property means "no attributes"; the catalog stores it as {}.
        if (attributes.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return;
        }

        if (attributes.ValueKind != JsonValueKind.Object)
        {
            violations.Add(AttributesObject, Field);
            return;
        }

        long size;
        int depth;
        if (!TryCheckQuickly(JsonMarshal.GetRawUtf8Value(attributes), out size, out depth))
        {
            var walk = new Walk();
            size = Measure(attributes, Field, 1, ref walk, ref violations);
            depth = walk.Depth;
        }

        if (size > AttributesMaxBytes)
        {
            violations.Add(AttributesSize, Field, $"They take {size}.");
        }

        if (depth > AttributesMaxDepth)
        {
            violations.Add(AttributesDepth, Field, $"They nest {depth} levels.");
        }
    }

    /// <summary>
    /// The common case in one pass over the raw JSON: no escapes, every key plain ASCII of a good length, and
    /// nothing sensitive anywhere in the text. Then only the size and depth remain, computed on the way. Returns
    /// false when any of that is not so, and the element-by-element walk (<see cref="Measure"/>) finds what is wrong
    /// and where; a finding that spans two strings of the raw text is harmless, since the walk then finds nothing.
    /// </summary>
    private static bool TryCheckQuickly(ReadOnlySpan<byte> json, out long size, out int depth)
    {
        size = 0;
        depth = 0;
        if (json.Contains((byte)'\\'))
        {
            return false;
        }

        var level = 0;
        for (var i = 0; i < json.Length; i++)
        {
            var b = json[i];
            switch (b)
            {
                case (byte)'"':
                {
                    var end = i + 1 + json[(i + 1)..].IndexOf((byte)'"');
                    size += end - i + 1;
                    var next = end + 1;
                    while (next < json.Length && json[next] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
                    {
                        next++;
                    }

                    if (next < json.Length && json[next] == (byte)':' && !IsPlainKey(json[(i + 1)..end]))
                    {
                        return false;
                    }

                    i = end;
                    break;
                }

                case (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r':
                    break;
                case (byte)'{' or (byte)'[':
                    size++;
                    depth = Math.Max(depth, ++level);
                    break;
                case (byte)'}' or (byte)']':
                    size++;
                    level--;
                    break;
                default:
                    size++;
                    break;
            }
        }

        return InspectUtf8(json, key: false, out _) == SensitiveKind.None;
    }

    /// <summary>A key of 1 to <see cref="ConstitutionLimits.AttributeKeyMaxLength"/> printable ASCII characters.</summary>
    private static bool IsPlainKey(ReadOnlySpan<byte> key) =>
        key.Length is > 0 and <= AttributeKeyMaxLength && !key.ContainsAnyExcept(s_printableAscii);

    /// <summary>The compact JSON size in bytes of <paramref name="element"/>, checking what it holds on the way.</summary>
    private static long Measure(JsonElement element, string path, int depth, ref Walk walk, ref ViolationCollector violations)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
            {
                walk.Depth = Math.Max(walk.Depth, depth);
                long size = 2;
                var first = true;
                foreach (var property in element.EnumerateObject())
                {
                    size += first ? 0 : 1;
                    first = false;
                    // The raw name is unquoted, escapes as written: quotes and colon add 3.
                    var name = JsonMarshal.GetRawUtf8PropertyName(property);
                    size += name.Length + 3;
                    CheckKey(property, name, path, ref violations);
                    if (depth < AttributesMaxDepth + 1)
                    {
                        var value = property.Value;
                        var child = value.ValueKind is JsonValueKind.Object or JsonValueKind.Array ? path + "." + property.Name : path;
                        size += value.ValueKind is JsonValueKind.String
                            ? MeasureString(value, path, property, -1, ref violations)
                            : Measure(value, child, depth + 1, ref walk, ref violations);
                    }
                    else
                    {
                        size += JsonMarshal.GetRawUtf8Value(property.Value).Length;
                    }
                }

                return size;
            }

            case JsonValueKind.Array:
            {
                walk.Depth = Math.Max(walk.Depth, depth);
                long size = 2;
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    size += index == 0 ? 0 : 1;
                    if (depth < AttributesMaxDepth + 1)
                    {
                        size += item.ValueKind switch
                        {
                            JsonValueKind.String => MeasureString(item, path, default, index, ref violations),
                            JsonValueKind.Object or JsonValueKind.Array => Measure(item, ViolationCollector.Element(path, index), depth + 1, ref walk, ref violations),
                            _ => Measure(item, path, depth + 1, ref walk, ref violations),
                        };
                    }
                    else
                    {
                        size += JsonMarshal.GetRawUtf8Value(item).Length;
                    }

                    index++;
                }

                return size;
            }

            default:
                // Numbers, true, false, null: their raw text is their compact text.
                return JsonMarshal.GetRawUtf8Value(element).Length;
        }
    }

    private static void CheckKey(JsonProperty property, ReadOnlySpan<byte> raw, string path, ref ViolationCollector violations)
    {
        // Escaped keys are rare: only they pay for a decoded string.
        var kinds = raw.Contains((byte)'\\')
            ? Inspect(property.Name, key: true, out var badShape)
            : InspectUtf8(raw, key: true, out badShape);
        if (badShape || kinds != SensitiveKind.None)
        {
            var field = path + "." + property.Name;
            if (badShape)
            {
                violations.Add(AttributeKeys, field);
            }

            violations.AddSensitive(kinds, field);
        }
    }

    /// <summary>Scans a string value (of <paramref name="property"/>, or at <paramref name="index"/> of an array) and returns its compact size.</summary>
    private static long MeasureString(JsonElement value, string path, JsonProperty property, int index, ref ViolationCollector violations)
    {
        // The raw value of a string element is its JSON text: quoted, escapes as written.
        var raw = JsonMarshal.GetRawUtf8Value(value);
        var content = raw[1..^1];
        var kinds = content.Contains((byte)'\\')
            ? Inspect(value.GetString(), key: false, out _)
            : InspectUtf8(content, key: false, out _);
        if (kinds != SensitiveKind.None)
        {
            violations.AddSensitive(kinds, index >= 0 ? ViolationCollector.Element(path, index) : path + "." + property.Name);
        }

        return raw.Length;
    }

    private static SensitiveKind InspectUtf8(ReadOnlySpan<byte> utf8, bool key, out bool badShape)
    {
        char[]? rented = null;
        var buffer = utf8.Length <= StackChars ? stackalloc char[StackChars] : (rented = ArrayPool<char>.Shared.Rent(utf8.Length));
        try
        {
            var length = Encoding.UTF8.GetChars(utf8, buffer);
            return Inspect(buffer[..length], key, out badShape);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static SensitiveKind Inspect(ReadOnlySpan<char> text, bool key, out bool badShape)
    {
        badShape = key && (text.Length is 0 or > AttributeKeyMaxLength || TextChecks.HasControlCharacters(text, allowLineBreaks: false));
        return SensitiveText.Find(text);
    }

    private struct Walk
    {
        public int Depth;
    }
}

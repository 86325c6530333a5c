using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace Plant.Core.Canonical;

/// <summary>
/// Writes one JSON value in RFC 8785 (JCS) canonical form. Members of an object may be written in any order:
/// they are sorted by their names' UTF-16 code units when the object ends, and a name written twice in one object
/// is refused. Strings are escaped minimally (only <c>"</c>, <c>\</c> and control characters; no escaping of
/// non-ASCII), numbers are written as ECMAScript writes them.
/// </summary>
/// <remarks>
/// Use one writer per value, on one thread; it rents its buffer from the shared array pool and returns it on
/// <see cref="Dispose"/>. <see cref="Reset"/> starts a new value in the same buffer.
/// <code>
/// using var writer = new CanonicalJsonWriter();
/// writer.WriteStartObject();
/// writer.WriteString("name", "Acme");
/// writer.WriteNumber("version", 2);
/// writer.WriteEndObject();
/// byte[] canonical = writer.ToArray();
/// </code>
/// </remarks>
public sealed class CanonicalJsonWriter : IDisposable
{
    // What a JSON string escapes: controls, quote and backslash.
    private const string Escaped = "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f\"\\";

    // Characters that cannot be copied into a JSON string as they are: the escaped ones and surrogates (which must
    // come in valid pairs).
    private static readonly SearchValues<char> s_special = SearchValues.Create(
        Escaped + string.Concat(Enumerable.Range(0xD800, 0x800).Select(c => (char)c)));

    // The escaped ones as UTF-8 bytes, looked for once a string is transcoded (surrogates cannot survive that).
    private static readonly SearchValues<byte> s_escapedBytes = SearchValues.Create(Encoding.ASCII.GetBytes(Escaped));

    private static readonly byte[] s_hex = "0123456789abcdef"u8.ToArray();

    private readonly List<Member> _members = new(16);
    private Frame[] _frames = new Frame[8];
    private int _depth;
    private byte[] _buffer;
    private int _length;
    private bool _complete;

    /// <param name="initialCapacity">Bytes to rent up front; the buffer grows as needed.</param>
    public CanonicalJsonWriter(int initialCapacity = 1024) =>
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 64));

    /// <summary>The canonical bytes of the finished value.</summary>
    /// <exception cref="InvalidOperationException">No complete value has been written yet.</exception>
    public ReadOnlySpan<byte> WrittenSpan => _complete
        ? _buffer.AsSpan(0, _length)
        : throw new InvalidOperationException("The JSON value is not complete: an object or array is still open, or nothing was written.");

    /// <summary>A copy of <see cref="WrittenSpan"/>.</summary>
    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>Lowercase hex SHA-256 of <see cref="WrittenSpan"/>.</summary>
    public string Sha256Hex() => CanonicalJson.Sha256Hex(WrittenSpan);

    /// <summary>Forgets what was written, keeping the buffer, to write another value.</summary>
    public void Reset()
    {
        Array.Clear(_frames, 0, _depth);
        _depth = 0;
        _members.Clear();
        _length = 0;
        _complete = false;
    }

    /// <summary>Returns the buffer to the pool; the writer cannot be used afterwards.</summary>
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _length = 0;
        _complete = false;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void WriteStartObject()
    {
        BeginValue();
        WriteByte((byte)'{');
        PushFrame(isObject: true);
    }

    public void WriteStartObject(string propertyName)
    {
        WritePropertyName(propertyName);
        WriteStartObject();
    }

    /// <exception cref="CanonicalJsonException">The object has two members of the same name.</exception>
    public void WriteEndObject()
    {
        ref var frame = ref CurrentFrame(isObject: true, "WriteEndObject");
        if (frame.PendingName is not null)
        {
            throw new CanonicalJsonException($"Member \"{frame.PendingName}\" has a name but no value.");
        }

        if (frame.Unsorted)
        {
            SortMembers(frame);
        }

        _members.RemoveRange(frame.FirstMember, _members.Count - frame.FirstMember);
        PopFrame();
        WriteByte((byte)'}');
        EndValue();
    }

    public void WriteStartArray()
    {
        BeginValue();
        WriteByte((byte)'[');
        PushFrame(isObject: false);
    }

    public void WriteStartArray(string propertyName)
    {
        WritePropertyName(propertyName);
        WriteStartArray();
    }

    public void WriteEndArray()
    {
        CurrentFrame(isObject: false, "WriteEndArray");
        PopFrame();
        WriteByte((byte)']');
        EndValue();
    }

    /// <summary>Names the next member of the current object.</summary>
    /// <exception cref="CanonicalJsonException">The name repeats the previous member's, or holds a lone surrogate.</exception>
    public void WritePropertyName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        BeginMember(name);
        WriteQuoted(name);
        WriteByte((byte)':');
    }

    /// <summary>Names the next member of the current object with a name encoded beforehand.</summary>
    /// <exception cref="CanonicalJsonException">The name repeats the previous member's.</exception>
    public void WritePropertyName(CanonicalJsonName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        BeginMember(name.Name);
        WriteRaw(name.QuotedWithColon);
    }

    /// <summary>Checks the name against the previous member and opens the member; the caller writes the name.</summary>
    private void BeginMember(string name)
    {
        ref var frame = ref CurrentFrame(isObject: true, "WritePropertyName");
        if (frame.PendingName is not null)
        {
            throw new CanonicalJsonException($"Member \"{frame.PendingName}\" has a name but no value.");
        }

        if (_members.Count > frame.FirstMember)
        {
            // Sorted input (the common case) is checked here and never moved; anything else is sorted at the end.
            var order = string.CompareOrdinal(_members[^1].Name, name);
            if (order == 0)
            {
                throw Duplicate(name);
            }

            frame.Unsorted |= order > 0;
            WriteByte((byte)',');
        }

        frame.PendingName = name;
        frame.PendingStart = _length;
    }

    public void WriteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        BeginValue();
        WriteQuoted(value);
        EndValue();
    }

    public void WriteString(string propertyName, string value)
    {
        WritePropertyName(propertyName);
        WriteString(value);
    }

    /// <summary>An id as its lower-case hyphenated text (format "D"), written straight as UTF-8.</summary>
    public void WriteString(Guid value)
    {
        BeginValue();
        var output = Reserve(38);
        output[0] = (byte)'"';
        value.TryFormat(output[1..], out var written, "D");
        output[written + 1] = (byte)'"';
        _length += written + 2;
        EndValue();
    }

    public void WriteString(string propertyName, Guid value)
    {
        WritePropertyName(propertyName);
        WriteString(value);
    }

    /// <summary>An integer. Beyond ±2^53 it is written as the double nearest to it, as RFC 8785 reads every number.</summary>
    public void WriteNumber(long value)
    {
        const long SafeInteger = (1L << 53) - 1;
        if (value is < -SafeInteger or > SafeInteger)
        {
            WriteNumber((double)value);
            return;
        }

        BeginValue();
        var span = Reserve(20);
        value.TryFormat(span, out var written, provider: System.Globalization.CultureInfo.InvariantCulture);
        _length += written;
        EndValue();
    }

    public void WriteNumber(string propertyName, long value)
    {
        WritePropertyName(propertyName);
        WriteNumber(value);
    }

    /// <exception cref="CanonicalJsonException">NaN or infinity.</exception>
    public void WriteNumber(double value)
    {
        BeginValue();
        _length += EcmaScriptNumber.Format(value, Reserve(EcmaScriptNumber.MaxLength));
        EndValue();
    }

    public void WriteNumber(string propertyName, double value)
    {
        WritePropertyName(propertyName);
        WriteNumber(value);
    }

    public void WriteBoolean(bool value)
    {
        BeginValue();
        WriteRaw(value ? "true"u8 : "false"u8);
        EndValue();
    }

    public void WriteBoolean(string propertyName, bool value)
    {
        WritePropertyName(propertyName);
        WriteBoolean(value);
    }

    public void WriteNull()
    {
        BeginValue();
        WriteRaw("null"u8);
        EndValue();
    }

    public void WriteNull(string propertyName)
    {
        WritePropertyName(propertyName);
        WriteNull();
    }

    /// <summary>Writes a parsed JSON value in canonical form.</summary>
    /// <exception cref="CanonicalJsonException">It holds a duplicate name, a number out of range or a lone surrogate.</exception>
    public void WriteValue(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                WriteStartObject();
                foreach (var property in value.EnumerateObject())
                {
                    WritePropertyName(NameOf(property));
                    WriteValue(property.Value);
                }

                WriteEndObject();
                break;
            case JsonValueKind.Array:
                WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    WriteValue(item);
                }

                WriteEndArray();
                break;
            case JsonValueKind.String:
                WriteString(value);
                break;
            case JsonValueKind.Number:
                WriteNumber(value);
                break;
            case JsonValueKind.True:
                WriteBoolean(true);
                break;
            case JsonValueKind.False:
                WriteBoolean(false);
                break;
            case JsonValueKind.Null:
                WriteNull();
                break;
            default:
                throw new CanonicalJsonException("An undefined JSON value cannot be written.");
        }
    }

    public void WriteValue(string propertyName, JsonElement value)
    {
        WritePropertyName(propertyName);
        WriteValue(value);
    }

    /// <summary>Writes a JSON node (null writes JSON null) in canonical form.</summary>
    /// <exception cref="CanonicalJsonException">It holds a number out of range or a lone surrogate.</exception>
    public void WriteValue(JsonNode? value)
    {
        switch (value)
        {
            case null:
                WriteNull();
                break;
            case JsonObject jsonObject:
                WriteStartObject();
                foreach (var (name, member) in jsonObject)
                {
                    WritePropertyName(name);
                    WriteValue(member);
                }

                WriteEndObject();
                break;
            case JsonArray jsonArray:
                WriteStartArray();
                foreach (var item in jsonArray)
                {
                    WriteValue(item);
                }

                WriteEndArray();
                break;
            case JsonValue jsonValue when jsonValue.TryGetValue<JsonElement>(out var element):
                WriteValue(element);
                break;
            case JsonValue jsonValue when jsonValue.TryGetValue<string>(out var text):
                WriteString(text);
                break;
            case JsonValue jsonValue when jsonValue.TryGetValue<double>(out var number):
                WriteNumber(number);
                break;
            case JsonValue jsonValue when jsonValue.TryGetValue<float>(out var single):
                WriteNumber(single);
                break;
            default:
                // A value holding another CLR object (an integer, a decimal, a Guid, a date): its own JSON, read back.
                string json;
                try
                {
                    json = value.ToJsonString();
                }
                catch (ArgumentException e)
                {
                    throw new CanonicalJsonException($"A {value.GetValueKind()} value cannot be written as JSON: {e.Message}", e);
                }

                using (var document = JsonDocument.Parse(Encoding.UTF8.GetBytes(json)))
                {
                    WriteValue(document.RootElement);
                }

                break;
        }
    }

    public void WriteValue(string propertyName, JsonNode? value)
    {
        WritePropertyName(propertyName);
        WriteValue(value);
    }

    private static string NameOf(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException e)
        {
            throw new CanonicalJsonException("A member name holds a lone surrogate (an escape \\uD800-\\uDFFF without its pair).", e);
        }
    }

    private void WriteString(JsonElement value)
    {
        // Without a backslash the raw text is the string itself (the parser has already refused raw control
        // characters), so valid UTF-8 is copied as it is; anything escaped is decoded and escaped again.
        var raw = JsonMarshal.GetRawUtf8Value(value);
        var content = raw[1..^1];
        if (content.IndexOf((byte)'\\') < 0)
        {
            if (!Utf8.IsValid(content))
            {
                throw new CanonicalJsonException("A string is not valid UTF-8.");
            }

            BeginValue();
            WriteRaw(raw);
            EndValue();
            return;
        }

        string text;
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw new CanonicalJsonException("A string holds a lone surrogate (an escape \\uD800-\\uDFFF without its pair).", e);
        }

        WriteString(text);
    }

    private void WriteNumber(JsonElement value)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        // Integers of up to 15 digits are exact doubles whose ECMAScript form is their plain digits.
        var digits = raw[0] == (byte)'-' ? raw[1..] : raw;
        if (digits.Length <= 15 && digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0)
        {
            BeginValue();
            WriteRaw(digits is [(byte)'0'] ? digits : raw); // -0 is 0
            EndValue();
            return;
        }

        if (!double.TryParse(raw, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
        {
            throw new CanonicalJsonException($"The number {Encoding.UTF8.GetString(raw)} is out of the range of an IEEE 754 double.");
        }

        WriteNumber(number);
    }

    private void BeginValue()
    {
        if (_depth == 0)
        {
            if (_complete || _length > 0)
            {
                throw new CanonicalJsonException("A canonical JSON text holds one value; call Reset to write another.");
            }

            return;
        }

        ref var frame = ref _frames[_depth - 1];
        if (frame.IsObject)
        {
            if (frame.PendingName is null)
            {
                throw new CanonicalJsonException("A value inside an object needs a WritePropertyName first.");
            }
        }
        else if (_length > frame.ContentStart)
        {
            WriteByte((byte)',');
        }
    }

    private void EndValue()
    {
        if (_depth == 0)
        {
            _complete = true;
            return;
        }

        ref var frame = ref _frames[_depth - 1];
        if (frame.IsObject)
        {
            _members.Add(new Member(frame.PendingName!, frame.PendingStart, _length));
            frame.PendingName = null;
        }
    }

    private ref Frame CurrentFrame(bool isObject, string call)
    {
        if (_depth == 0 || _frames[_depth - 1].IsObject != isObject)
        {
            throw new CanonicalJsonException($"{call} outside {(isObject ? "an object" : "an array")}.");
        }

        return ref _frames[_depth - 1];
    }

    private void PushFrame(bool isObject)
    {
        if (_depth == _frames.Length)
        {
            Array.Resize(ref _frames, _depth * 2);
        }

        _frames[_depth++] = new Frame { IsObject = isObject, ContentStart = _length, FirstMember = _members.Count };
    }

    private void PopFrame() => _frames[--_depth] = default;

    /// <summary>Rewrites the object's members, which sit between its braces separated by commas, in name order.</summary>
    private void SortMembers(in Frame frame)
    {
        var members = CollectionsMarshal.AsSpan(_members)[frame.FirstMember..];
        members.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        for (var i = 1; i < members.Length; i++)
        {
            if (string.Equals(members[i - 1].Name, members[i].Name, StringComparison.Ordinal))
            {
                throw Duplicate(members[i].Name);
            }
        }

        var contentLength = _length - frame.ContentStart;
        var sorted = ArrayPool<byte>.Shared.Rent(contentLength);
        try
        {
            var position = 0;
            foreach (var member in members)
            {
                if (position > 0)
                {
                    sorted[position++] = (byte)',';
                }

                _buffer.AsSpan(member.Start, member.End - member.Start).CopyTo(sorted.AsSpan(position));
                position += member.End - member.Start;
            }

            sorted.AsSpan(0, contentLength).CopyTo(_buffer.AsSpan(frame.ContentStart));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(sorted);
        }
    }

    private void WriteQuoted(ReadOnlySpan<char> value)
    {
        // Most text has nothing to escape: transcode it whole (vectorised), then look for what must be escaped in
        // the bytes. A lone surrogate stops the transcoder, and the careful path below reports it.
        var output = Reserve(value.Length * 3 + 2); // UTF-8 needs at most 3 bytes per UTF-16 unit
        if (Utf8.FromUtf16(value, output[1..], out _, out var written, replaceInvalidSequences: false) == OperationStatus.Done
            && output.Slice(1, written).IndexOfAny(s_escapedBytes) < 0)
        {
            output[0] = (byte)'"';
            output[written + 1] = (byte)'"';
            _length += written + 2;
            return;
        }

        WriteQuotedEscaping(value);
    }

    private void WriteQuotedEscaping(ReadOnlySpan<char> value)
    {
        // Worst case per UTF-16 unit: 6 bytes (\u001f); UTF-8 needs at most 3.
        var output = Reserve(value.Length * 6 + 2);
        var position = 0;
        output[position++] = (byte)'"';
        var rest = value;
        while (!rest.IsEmpty)
        {
            var special = rest.IndexOfAny(s_special);
            var plain = special < 0 ? rest : rest[..special];
            position += Encoding.UTF8.GetBytes(plain, output[position..]);
            if (special < 0)
            {
                break;
            }

            var c = rest[special];
            rest = rest[(special + 1)..];
            if (char.IsHighSurrogate(c) && !rest.IsEmpty && char.IsLowSurrogate(rest[0]))
            {
                position += new Rune(c, rest[0]).EncodeToUtf8(output[position..]);
                rest = rest[1..];
                continue;
            }

            if (char.IsSurrogate(c))
            {
                throw new CanonicalJsonException($"A string holds a lone surrogate U+{(int)c:X4}, which RFC 8785 does not allow.");
            }

            output[position++] = (byte)'\\';
            switch (c)
            {
                case '"': output[position++] = (byte)'"'; break;
                case '\\': output[position++] = (byte)'\\'; break;
                case '\b': output[position++] = (byte)'b'; break;
                case '\f': output[position++] = (byte)'f'; break;
                case '\n': output[position++] = (byte)'n'; break;
                case '\r': output[position++] = (byte)'r'; break;
                case '\t': output[position++] = (byte)'t'; break;
                default:
                    output[position++] = (byte)'u';
                    output[position++] = (byte)'0';
                    output[position++] = (byte)'0';
                    output[position++] = s_hex[c >> 4];
                    output[position++] = s_hex[c & 0xF];
                    break;
            }
        }

        output[position++] = (byte)'"';
        _length += position;
    }

    private void WriteByte(byte value)
    {
        Reserve(1)[0] = value;
        _length++;
    }

    private void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        _length += bytes.Length;
    }

    /// <summary>Room for <paramref name="size"/> more bytes at the end; the caller adds what it wrote to _length.</summary>
    private Span<byte> Reserve(int size)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        if (_length + size > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + size));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        return _buffer.AsSpan(_length);
    }

    private static CanonicalJsonException Duplicate(string name) =>
        new($"The member name \"{name}\" appears twice in one object; RFC 8785 requires unique names.");

    /// <summary>An open object or array, updated in place through a reference into _frames.</summary>
    private struct Frame
    {
        public bool IsObject;

        /// <summary>Where the first member or item starts, just after the brace or bracket.</summary>
        public int ContentStart;

        /// <summary>This object's first entry in _members.</summary>
        public int FirstMember;

        /// <summary>Some member was named out of order, so the object is sorted when it ends.</summary>
        public bool Unsorted;

        public string? PendingName;

        public int PendingStart;
    }

    private readonly record struct Member(string Name, int Start, int End);
}

namespace Plant.Core.Canonical;

/// <summary>
/// A member name encoded once, quoted and escaped as RFC 8785 writes it, for the names of a fixed shape that is
/// written again and again (an entity's content): the writer copies its bytes instead of encoding the text each time.
/// </summary>
public sealed class CanonicalJsonName
{
    /// <exception cref="CanonicalJsonException">The name holds a lone surrogate.</exception>
    public CanonicalJsonName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        using var writer = new CanonicalJsonWriter(name.Length * 6 + 8);
        writer.WriteString(name);
        Name = name;
        QuotedWithColon = [.. writer.WrittenSpan, (byte)':'];
    }

    /// <summary>The name's text, which orders it among the object's other members.</summary>
    public string Name { get; }

    /// <summary>The canonical bytes: the quoted name and the colon after it.</summary>
    internal byte[] QuotedWithColon { get; }

    public override string ToString() => Name;
}

namespace Plant.Core.Paging;

/// <summary>What a keyset sort key can hold: text (a name), a decimal (a price) or an instant.</summary>
public enum CursorValueKind : byte
{
    Text = 1,
    Decimal = 2,
    Timestamp = 3,
}

/// <summary>
/// Where a page ended: the sort key and the id of its last row. The next page starts strictly after it, so rows
/// inserted or removed meanwhile never make a row appear twice or be skipped among those that did not move.
/// </summary>
public sealed record CursorPosition
{
    private CursorPosition(Guid id, CursorValueKind kind, string? text, decimal number, DateTime timestamp)
    {
        Id = id;
        Kind = kind;
        Text = text;
        Number = number;
        Timestamp = timestamp;
    }

    /// <summary>The entity id of the last row: the tie-breaker of every sort.</summary>
    public Guid Id { get; }

    public CursorValueKind Kind { get; }

    /// <summary>The sort key when <see cref="Kind"/> is <see cref="CursorValueKind.Text"/>.</summary>
    public string? Text { get; }

    /// <summary>The sort key when <see cref="Kind"/> is <see cref="CursorValueKind.Decimal"/>.</summary>
    public decimal Number { get; }

    /// <summary>The sort key (UTC) when <see cref="Kind"/> is <see cref="CursorValueKind.Timestamp"/>.</summary>
    public DateTime Timestamp { get; }

    public static CursorPosition AfterText(string key, Guid id) => new(id, CursorValueKind.Text, key, 0, default);

    public static CursorPosition AfterDecimal(decimal key, Guid id) => new(id, CursorValueKind.Decimal, null, key, default);

    public static CursorPosition AfterTimestamp(DateTime key, Guid id) =>
        new(id, CursorValueKind.Timestamp, null, 0, DateTime.SpecifyKind(key, DateTimeKind.Utc));

    /// <summary>The sort key as a query parameter value.</summary>
    public object Value => Kind switch
    {
        CursorValueKind.Text => Text!,
        CursorValueKind.Decimal => Number,
        _ => Timestamp,
    };
}

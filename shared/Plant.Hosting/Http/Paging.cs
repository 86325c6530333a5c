namespace Plant.Hosting;

/// <summary>
/// The paging contract of every list route: <c>?limit=</c> (1 to the route's maximum) and <c>?cursor=</c> (the
/// <c>nextCursor</c> of the previous page, opaque and signed) in, <see cref="Page{T}"/> out. A cursor that was
/// changed, or that belongs to another query, is a 400 naming <c>cursor</c>.
/// </summary>
public static class Paging
{
    public const string Cursor = "cursor";

    public const string Limit = "limit";

    /// <summary>The query parameters a list route takes besides its filters.</summary>
    public static IReadOnlyList<string> Parameters { get; } = [Cursor, Limit];
}

/// <summary>What a list route was asked for: how many items, after which cursor (null for the first page).</summary>
public readonly record struct PageRequest(int Limit, string? Cursor);

/// <summary>One page of a list: its items, and the cursor of the next page (null on the last).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

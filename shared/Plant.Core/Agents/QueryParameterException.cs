namespace Plant.Core.Agents;

/// <summary>
/// A query parameter the caller sent is wrong in a way only the query can tell: a cursor that was tampered with or
/// belongs to another query, or an id that names no entity of the expected type. The HTTP layer answers it with a
/// 400 naming <see cref="Parameter"/>; the message is safe to show.
/// </summary>
public sealed class QueryParameterException : Exception
{
    public QueryParameterException(string parameter, string message)
        : base(message) => Parameter = parameter;

    /// <summary>The query parameter at fault, as the client spelled it (<c>cursor</c>, <c>industry</c>, ...).</summary>
    public string Parameter { get; }
}

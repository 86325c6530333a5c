namespace Plant.Core.Paging;

/// <summary>
/// A cursor that this API did not write, that was changed, or that belongs to another query (where its position
/// would mean something else). The message is safe to show to the client that sent it.
/// </summary>
public sealed class InvalidCursorException(string message) : Exception(message);

namespace Plant.Core.Canonical;

/// <summary>
/// The input cannot be canonicalised under RFC 8785: a duplicate member name, a number that is not a finite
/// IEEE 754 double (NaN, infinity, out of range), a lone surrogate or invalid UTF-8 in a string, malformed JSON,
/// or writer calls in an impossible order.
/// </summary>
public sealed class CanonicalJsonException : Exception
{
    public CanonicalJsonException(string message)
        : base(message)
    {
    }

    public CanonicalJsonException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

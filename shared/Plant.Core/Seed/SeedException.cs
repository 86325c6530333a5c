namespace Plant.Core.Seed;

/// <summary>
/// The seed was refused (environment, schema version) or failed. The message says why and is safe to print.
/// </summary>
public sealed class SeedException : Exception
{
    public SeedException(string message)
        : base(message)
    {
    }

    public SeedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

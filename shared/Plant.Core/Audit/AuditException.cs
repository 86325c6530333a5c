namespace Plant.Core.Audit;

/// <summary>An audit operation was refused: a checkpoint over a broken chain, a cut without a valid checkpoint.</summary>
public sealed class AuditException : Exception
{
    public AuditException(string message)
        : base(message)
    {
    }

    public AuditException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

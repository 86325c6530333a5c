namespace Plant.Core.Retention;

/// <summary>Another purge holds the purge lock: this run did nothing. The other one covers the same ground.</summary>
public sealed class RetentionBusyException : Exception
{
    public RetentionBusyException()
        : base("Another retention purge is running; this one did nothing.")
    {
    }
}

namespace Plant.Core.Migrations;

/// <summary>
/// A migration operation was refused or failed. The message names the versions involved and is safe to print:
/// it never holds connection settings.
/// </summary>
public sealed class MigrationException : Exception
{
    public MigrationException(string message)
        : base(message)
    {
    }

    public MigrationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

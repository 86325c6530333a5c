namespace Plant.Core.Migrations;

/// <summary>
/// A migration operation was refused or failed. The message names the versions involved and is safe to print:
/// it never holds connection settings. When a script failed, <see cref="Version"/>, <see cref="Statement"/> and
/// <see cref="Error"/> say where and why.
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

    /// <summary>The migration whose script failed; null for refusals.</summary>
    public int? Version { get; init; }

    /// <summary>The statement that failed, as written in the script; null when no statement ran into the error.</summary>
    public string? Statement { get; init; }

    /// <summary>The statement's 1-based position in its script.</summary>
    public int? StatementNumber { get; init; }

    /// <summary>PostgreSQL's error, <c>SQLSTATE: message</c>.</summary>
    public string? Error { get; init; }
}

namespace Plant.Core.Migrations.Smoke;

/// <summary>How a smoke check came out.</summary>
public enum SmokeCheckStatus
{
    Passed,
    Failed,

    /// <summary>Nothing to check at this version (no catalog yet, or a migration that declares nothing).</summary>
    Skipped,
}

/// <summary>One smoke check of a run, as the run report lists it.</summary>
/// <param name="Name">What was checked: <c>V0001 declared objects</c>, <c>seed tables readable</c>, <c>agent query</c>.</param>
/// <param name="Status">How it came out.</param>
/// <param name="Detail">What was found: counts, or what is missing and PostgreSQL's error.</param>
public sealed record SmokeCheckResult(string Name, SmokeCheckStatus Status, string Detail);

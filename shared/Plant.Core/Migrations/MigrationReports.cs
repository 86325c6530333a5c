namespace Plant.Core.Migrations;

/// <summary>One row of <c>plant_migrations.history</c>.</summary>
public sealed record AppliedMigration(
    int Version,
    string Description,
    string Checksum,
    DateTimeOffset AppliedAt,
    string AppliedBy,
    int DurationMs,
    bool Success,
    string? FailedStatement,
    string? Error);

/// <summary>A migration that is embedded but not applied.</summary>
public sealed record PendingMigration(int Version, string Description, string Checksum, string Sql, bool InTransaction);

/// <summary>What <see cref="Migrator.StatusAsync"/> found.</summary>
public sealed record MigrationStatus(
    int CurrentVersion,
    int LatestVersion,
    IReadOnlyList<AppliedMigration> Applied,
    IReadOnlyList<PendingMigration> Pending,
    IReadOnlyList<string> Problems);

/// <summary>The result of up or down: the versions before and after, and the migrations run in order.</summary>
public sealed record MigrationRunResult(int FromVersion, int ToVersion, IReadOnlyList<int> Versions, TimeSpan Duration);

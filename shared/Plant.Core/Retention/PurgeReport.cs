using System.Globalization;
using System.Text.Json.Nodes;
using Plant.Core.Audit;

namespace Plant.Core.Retention;

/// <summary>How a step of a purge run ended.</summary>
public enum PurgeStepOutcome
{
    /// <summary>Everything expired is gone (or, in a dry run, counted).</summary>
    Done,

    /// <summary>The run's time budget ran out; the next run carries on.</summary>
    Incomplete,

    /// <summary>Nothing to do by configuration: no retention set for this kind, or its table does not exist yet.</summary>
    Skipped,

    /// <summary>A row was locked past the lock timeout; the rest is left for the next run.</summary>
    Locked,

    /// <summary>Refused for a reason given (an audit chain that does not verify is never cut).</summary>
    Refused,
}

/// <summary>One step of a purge run.</summary>
/// <param name="Name">expired-trials, superseded-versions, timer-runs, scheduler-deliveries, migration-log, migration-runs, migration-approvals, audit-entries.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Reason">Why it was skipped, locked or refused; null when done.</param>
/// <param name="Cutoff">Rows before this went; null when the kind is kept.</param>
/// <param name="Rows">Rows removed (or that would be) per table.</param>
/// <param name="Batches">Committed batches (0 in a dry run).</param>
/// <param name="Duration">Time spent on the step.</param>
public sealed record PurgeStepReport(
    string Name, PurgeStepOutcome Outcome, string? Reason, DateTimeOffset? Cutoff, IReadOnlyDictionary<string, long> Rows, int Batches, TimeSpan Duration);

/// <summary>What a purge run removed (or, dry, would remove), as it goes to the log, the audit trail and the admin route.</summary>
public sealed record PurgeReport
{
    /// <summary>This run's id, in its log lines and audit entry.</summary>
    public required Guid RunId { get; init; }

    /// <summary>True when nothing was changed.</summary>
    public required bool DryRun { get; init; }

    /// <summary>Who asked.</summary>
    public required string Actor { get; init; }

    /// <summary>When the run started (UTC).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>The whole run: batches, checkpoints and VACUUM.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>The cutoffs the run used.</summary>
    public required PurgeCutoffs Cutoffs { get; init; }

    /// <summary>Rows removed per table, over all steps.</summary>
    public required IReadOnlyDictionary<string, long> Tables { get; init; }

    /// <summary>Every step, in the order run.</summary>
    public required IReadOnlyList<PurgeStepReport> Steps { get; init; }

    /// <summary>False when the time budget, a lock or a refusal left something for the next run.</summary>
    public bool Completed => Steps.All(s => s.Outcome is PurgeStepOutcome.Done or PurgeStepOutcome.Skipped);

    /// <summary>Whether trial batches skipped PostgreSQL's foreign key checks, and why.</summary>
    public required string ForeignKeyChecks { get; init; }

    /// <summary>The signed checkpoint the audit chain was last cut at in this run; verification starts from it.</summary>
    public AuditCheckpoint? Checkpoint { get; init; }

    /// <summary>Tables vacuumed and analysed after the deletes.</summary>
    public IReadOnlyList<string> Vacuumed { get; init; } = [];

    /// <summary>Time VACUUM (ANALYZE) took.</summary>
    public TimeSpan VacuumDuration { get; init; }

    /// <summary>What VACUUM warned about (a table the role does not own is skipped with a warning).</summary>
    public IReadOnlyList<string> VacuumWarnings { get; init; } = [];

    /// <summary>The audit entry that records this run; null for a dry run.</summary>
    public AuditEntry? AuditEntry { get; init; }

    /// <summary>Rows removed in all.</summary>
    public long TotalRows => Tables.Values.Sum();

    /// <summary>
    /// The report as JSON: what the admin route answers and, without <see cref="AuditEntry"/>, the audit entry's
    /// details. Whole numbers and strings only, as a hashed audit payload wants.
    /// </summary>
    public JsonObject ToJson()
    {
        var tables = new JsonObject();
        foreach (var (table, rows) in Tables)
        {
            tables[table] = rows;
        }

        var steps = new JsonArray();
        foreach (var step in Steps)
        {
            var rows = new JsonObject();
            foreach (var (table, count) in step.Rows)
            {
                rows[table] = count;
            }

            // As a node, not the generic Add<T> that would wrap a value by reflection.
            steps.Add((JsonNode)new JsonObject
            {
                ["name"] = step.Name,
                ["outcome"] = Name(step.Outcome),
                ["reason"] = step.Reason,
                ["cutoff"] = Time(step.Cutoff),
                ["rows"] = rows,
                ["batches"] = step.Batches,
                ["durationMs"] = (long)step.Duration.TotalMilliseconds,
            });
        }

        var json = new JsonObject
        {
            ["runId"] = RunId.ToString("D"),
            ["dryRun"] = DryRun,
            ["actor"] = Actor,
            ["startedAt"] = Time(StartedAt),
            ["durationMs"] = (long)Duration.TotalMilliseconds,
            ["completed"] = Completed,
            ["cutoffs"] = new JsonObject
            {
                ["data"] = Time(Cutoffs.Data),
                ["audit"] = Time(Cutoffs.Audit),
                ["migrationLog"] = Time(Cutoffs.MigrationLog),
            },
            ["totalRows"] = TotalRows,
            ["tables"] = tables,
            ["steps"] = steps,
            ["foreignKeyChecks"] = ForeignKeyChecks,
            ["checkpoint"] = Checkpoint is { } c
                ? new JsonObject { ["sequence"] = c.Sequence, ["hash"] = c.Hash, ["keyId"] = c.KeyId, ["createdAt"] = Time(c.CreatedAt) }
                : null,
            ["vacuum"] = new JsonObject
            {
                ["tables"] = new JsonArray([.. Vacuumed.Select(t => (JsonNode?)t)]),
                ["durationMs"] = (long)VacuumDuration.TotalMilliseconds,
                ["warnings"] = new JsonArray([.. VacuumWarnings.Select(w => (JsonNode?)w)]),
            },
        };
        if (AuditEntry is { } entry)
        {
            json["auditEntry"] = new JsonObject { ["sequence"] = entry.Sequence, ["hash"] = entry.Hash };
        }

        return json;
    }

    /// <summary>The outcome as the report writes it: done, incomplete, skipped, locked, refused.</summary>
    public static string Name(PurgeStepOutcome outcome) => outcome.ToString().ToLowerInvariant();

    private static string? Time(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}

using Npgsql;
using Plant.Core.Catalog;
using Plant.Core.Constitution;

namespace Plant.Core.Genesis;

/// <summary>
/// Checks a draft on the caller's connection and transaction: what the catalog schema cannot store
/// (<see cref="StorageCheck"/>, references included) and the constitution's report, with reference facts resolved
/// by <see cref="ReferenceFactsQuery"/> in the same transaction, so the facts are those the write will meet.
/// </summary>
public static class DraftChecker
{
    /// <summary>The storage error of a name another current entity of the type already has (the schema's unique index).</summary>
    public static FieldError NameTakenError { get; } =
        new("name", "Another current entity of this type already has this name (compared without regard to case).");

    /// <summary>Storage errors and constitution report of <paramref name="draft"/>; <paramref name="entityId"/> is the entity it amends, or null.</summary>
    public static async Task<DraftCheck> CheckAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, EntityDraft draft, Guid? entityId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var errors = new List<FieldError>(StorageCheck.Check(draft));
        // PostgreSQL text cannot hold NUL, so the name check cannot be asked about such a name; the draft is
        // refused for it anyway (StorageCheck), and the name without NULs still gets its other answers.
        var asked = draft.Name.Contains('\0', StringComparison.Ordinal) ? draft with { Name = draft.Name.Replace("\0", "", StringComparison.Ordinal) } : draft;
        var facts = await ReferenceFactsQuery.ResolveAsync(connection, transaction, asked, entityId, ct);
        errors.AddRange(await StorageCheck.CheckReferencesAsync(connection, transaction, draft, facts, ct));
        if (facts.NameTaken)
        {
            errors.Add(NameTakenError);
        }

        return new DraftCheck(errors, ConstitutionValidator.Validate(draft, facts));
    }

    /// <summary>The constitution's report on a stored version's draft, for certification.</summary>
    public static async Task<ValidationReport> ValidateAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, EntityDraft draft, Guid entityId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var facts = await ReferenceFactsQuery.ResolveAsync(connection, transaction, draft, entityId, ct);
        return ConstitutionValidator.Validate(draft, facts);
    }
}

using System.Text.Json;
using System.Text.RegularExpressions;

namespace Plant.Core.Audit;

/// <summary>What happened, to be appended to the audit trail.</summary>
/// <param name="Actor">Who did it: a key identity ("master", "function-1"), a user, or a process ("seed"). 1 to 200 characters.</param>
/// <param name="Action">What was done, lowercase dotted: "entity.created", "entity.certified", "entity.certification_failed".</param>
/// <param name="EntityId">The entity concerned, if any.</param>
/// <param name="Details">A JSON object with the particulars (version, content hash, violations); none is an empty object.
/// It is hashed in canonical form (RFC 8785), so keep floating-point numbers out of it.</param>
public sealed partial record AuditRecord(string Actor, string Action, Guid? EntityId = null, JsonElement? Details = null)
{
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Actor) || Actor.Length > 200 || Actor.Any(char.IsControl))
        {
            throw new ArgumentException("The actor must be 1 to 200 characters without control characters.", nameof(Actor));
        }

        if (Action is null || !ActionPattern().IsMatch(Action))
        {
            throw new ArgumentException($"The action '{Action}' must be 1 to 100 of a-z 0-9 . _ -, starting with a letter.", nameof(Action));
        }

        if (Details is { } details && details.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined))
        {
            throw new ArgumentException($"The details must be a JSON object, not {details.ValueKind}.", nameof(Details));
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9._-]{0,99}$")]
    private static partial Regex ActionPattern();
}

/// <summary>An entry as appended: its place in the chain and its hash.</summary>
/// <param name="Sequence">1 for the first entry, then one more for each.</param>
/// <param name="OccurredAt">When it was appended, in whole microseconds (UTC).</param>
/// <param name="Hash">Lowercase hex SHA-256 over the previous entry's hash and this entry's canonical JSON.</param>
public sealed record AuditEntry(long Sequence, DateTimeOffset OccurredAt, string Hash);

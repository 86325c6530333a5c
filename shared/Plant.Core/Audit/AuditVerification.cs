namespace Plant.Core.Audit;

/// <summary>The result of walking the audit chain.</summary>
public sealed record AuditVerification
{
    /// <summary>True when every entry, checkpoint and the head verify.</summary>
    public required bool Intact { get; init; }

    /// <summary>How many entries the table holds (entries cut by the retention purge are not counted).</summary>
    public required long Entries { get; init; }

    /// <summary>The sequence of the first entry (or checkpoint) that does not verify; null when intact.</summary>
    public long? BrokenAt { get; init; }

    /// <summary>What is wrong at <see cref="BrokenAt"/>, in words; null when intact.</summary>
    public string? Problem { get; init; }

    /// <summary>The last entry walked: its sequence and hash (0 and 64 zeros for an empty chain).</summary>
    public required AuditHead Head { get; init; }

    /// <summary>The head, signed now with the active key: the record to keep outside the database.</summary>
    public required SignedAuditHead SignedHead { get; init; }

    /// <summary>The checkpoint the walk started from, when older entries were cut; null when it started at entry 1.</summary>
    public AuditCheckpoint? StartCheckpoint { get; init; }

    /// <summary>Whether the chain extends the head the caller kept; null when none was given.</summary>
    public AuditConsistency? KeptHead { get; init; }
}

/// <summary>
/// Whether today's chain extends a head signed earlier, as a certificate-transparency log's consistency proof
/// shows that it only grew: the kept head's signature verifies, the chain is intact, and it has the kept hash at
/// the kept sequence (on the entry, or on the signed checkpoint that replaced it when the purge cut it).
/// </summary>
/// <param name="Kept">The kept head's position.</param>
/// <param name="Extends">True when the chain extends it.</param>
/// <param name="Problem">Why it does not, in words; null when it does.</param>
public sealed record AuditConsistency(AuditHead Kept, bool Extends, string? Problem);

/// <summary>A position in the chain: a sequence and the hash of the entry there (lowercase hex).</summary>
public sealed record AuditHead(long Sequence, string Hash);

using Plant.Core.Audit;

namespace Plant.Genesis.Wire;

/// <summary>
/// The audit trail's verification: whether the chain is intact, how many entries, where it broke and why, its
/// head, the head signed now, the checkpoint the walk started from when retention has cut the chain, and whether
/// the chain extends a head the caller kept (when one was given).
/// </summary>
public sealed record AuditVerificationResponse(
    bool Intact,
    long Entries,
    long? BrokenAt,
    string? Problem,
    AuditHeadResponse Head,
    SignedHeadResponse SignedHead,
    CheckpointResponse? StartCheckpoint,
    KeptHeadResponse? KeptHead)
{
    public static AuditVerificationResponse From(AuditVerification v, string algorithm) => new(
        v.Intact, v.Entries, v.BrokenAt, v.Problem,
        new AuditHeadResponse(v.Head.Sequence, v.Head.Hash),
        new SignedHeadResponse(v.SignedHead.Sequence, v.SignedHead.Hash, v.SignedHead.SignedAt, v.SignedHead.KeyId, v.SignedHead.Signature, algorithm),
        v.StartCheckpoint is { } c ? new CheckpointResponse(c.Sequence, c.Hash, c.CreatedAt, c.KeyId, c.Signature) : null,
        v.KeptHead is { } k ? new KeptHeadResponse(k.Kept.Sequence, k.Kept.Hash, k.Extends, k.Problem) : null);
}

public sealed record AuditHeadResponse(long Sequence, string Hash);

/// <summary>A signed head as an answer gives it, and as a caller sends it back to check that the chain extends it.</summary>
public sealed record SignedHeadResponse(long Sequence, string Hash, DateTimeOffset SignedAt, string KeyId, string Signature, string? Algorithm = null);

public sealed record CheckpointResponse(long Sequence, string Hash, DateTimeOffset CreatedAt, string KeyId, string Signature);

/// <summary>Whether today's chain extends the kept head, and why not.</summary>
public sealed record KeptHeadResponse(long Sequence, string Hash, bool Extends, string? Problem);

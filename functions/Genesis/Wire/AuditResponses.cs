using Plant.Core.Audit;

namespace Plant.Genesis.Wire;

/// <summary>
/// The audit trail's verification: whether the chain is intact, how many entries, where it broke and why, its
/// head, the head signed now, and the checkpoint the walk started from when retention has cut the chain.
/// </summary>
public sealed record AuditVerificationResponse(
    bool Intact, long Entries, long? BrokenAt, string? Problem, AuditHeadResponse Head, SignedHeadResponse SignedHead, CheckpointResponse? StartCheckpoint)
{
    public static AuditVerificationResponse From(AuditVerification v) => new(
        v.Intact, v.Entries, v.BrokenAt, v.Problem,
        new AuditHeadResponse(v.Head.Sequence, v.Head.Hash),
        new SignedHeadResponse(v.SignedHead.Sequence, v.SignedHead.Hash, v.SignedHead.SignedAt, v.SignedHead.KeyId, "RSA-PSS-SHA256", v.SignedHead.Signature),
        v.StartCheckpoint is { } c ? new CheckpointResponse(c.Sequence, c.Hash, c.CreatedAt, c.KeyId, c.Signature) : null);
}

public sealed record AuditHeadResponse(long Sequence, string Hash);

public sealed record SignedHeadResponse(long Sequence, string Hash, DateTimeOffset SignedAt, string KeyId, string Algorithm, string Signature);

public sealed record CheckpointResponse(long Sequence, string Hash, DateTimeOffset CreatedAt, string KeyId, string Signature);

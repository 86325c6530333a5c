using Microsoft.AspNetCore.Http;
using Plant.Core.Audit;
using Plant.Hosting;

namespace Plant.Genesis;

/// <summary>The audit trail's verification.</summary>
public sealed class AuditFunctions(AuditTrail audit)
{
    /// <summary>
    /// Walks the whole chain and answers <c>{ intact, entries, brokenAt, problem, head, signedHead }</c>. The signed
    /// head (sequence and hash, signed now) is also logged: keep it outside the database, and a later verification
    /// must extend through it.
    /// </summary>
    [Function(nameof(VerifyAudit))]
    public async Task<IResult> VerifyAudit(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/genesis/audit/verify")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var verification = await audit.VerifyAsync(cancellationToken);
        return Results.Json(new
        {
            intact = verification.Intact,
            entries = verification.Entries,
            brokenAt = verification.BrokenAt,
            problem = verification.Problem,
            head = new { sequence = verification.Head.Sequence, hash = verification.Head.Hash },
            signedHead = new
            {
                sequence = verification.SignedHead.Sequence,
                hash = verification.SignedHead.Hash,
                signedAt = verification.SignedHead.SignedAt,
                keyId = verification.SignedHead.KeyId,
                algorithm = "RSA-PSS-SHA256",
                signature = verification.SignedHead.Signature,
            },
            startCheckpoint = verification.StartCheckpoint is { } checkpoint
                ? new { sequence = checkpoint.Sequence, hash = checkpoint.Hash, createdAt = checkpoint.CreatedAt, keyId = checkpoint.KeyId, signature = checkpoint.Signature }
                : null,
        });
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Plant.Core.Audit;
using Plant.Genesis.Wire;
using Plant.Hosting;

namespace Plant.Genesis.Audit;

/// <summary>
/// <c>GET /api/v1/genesis/audit/verify</c>: walks the whole chain and answers whether it is intact, with its head
/// signed now. Keep the signed head outside the database. <c>POST</c> with a head kept earlier as the body (the
/// <c>signedHead</c> of an earlier answer, as it was) also answers whether today's chain extends it (<c>keptHead</c>):
/// the proof that the log only grew since.
/// </summary>
public sealed class VerifyAudit(AuditTrail audit)
{
    private const string Algorithm = "RSA-PSS-SHA256";

    [Function(nameof(VerifyAudit))]
    [JsonRequestBody(typeof(SignedHeadResponse))]
    [EndpointSummary("Verify the audit trail")]
    [EndpointDescription("Walks the whole hash chain and answers whether it is intact, with its head signed now; keep signedHead outside the database. POST with a signedHead kept from an earlier answer, as it was, as the body also answers whether today's chain extends it (keptHead): the proof that the log only grew since. A kept head whose signature does not verify is answered extends: false, not an error.")]
    public async Task<Ok<AuditVerificationResponse>> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", Route = "v1/genesis/audit/verify")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        QueryReader.For(request);
        var kept = HttpMethods.IsPost(request.Method) ? Kept(await JsonBody.ReadAsync<SignedHeadResponse>(request, cancellationToken)) : null;
        return TypedResults.Ok(AuditVerificationResponse.From(await audit.VerifyAsync(kept, cancellationToken), Algorithm));
    }

    /// <summary>The kept head as its signature covers it; a head in another shape is a 400 naming the member.</summary>
    private static SignedAuditHead Kept(SignedHeadResponse head)
    {
        if (head.Sequence < 0)
        {
            throw new BadInputException("sequence", "sequence must be the kept head's sequence, 0 or more.");
        }

        if (head.Hash is not { Length: 64 } hash || !hash.All(char.IsAsciiHexDigitLower))
        {
            throw new BadInputException("hash", "hash must be the kept head's hash: 64 lowercase hexadecimal characters.");
        }

        if (head.Algorithm is not null and not Algorithm)
        {
            throw new BadInputException("algorithm", $"algorithm must be {Algorithm}, the only one Plant signs heads with.");
        }

        if (string.IsNullOrEmpty(head.KeyId) || string.IsNullOrEmpty(head.Signature))
        {
            throw new BadInputException(string.IsNullOrEmpty(head.KeyId) ? "keyId" : "signature", "keyId and signature must be the kept head's, as they were given.");
        }

        return new SignedAuditHead(head.Sequence, hash, head.SignedAt, head.KeyId, head.Signature);
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Plant.Core.Audit;
using Plant.Genesis.Wire;
using Plant.Hosting;

namespace Plant.Genesis.Audit;

/// <summary>
/// <c>GET /api/v1/genesis/audit/verify</c>: walks the whole chain and answers whether it is intact, with its head
/// signed now. Keep the signed head outside the database: a later verification must extend through it.
/// </summary>
public sealed class VerifyAudit(AuditTrail audit)
{
    [Function(nameof(VerifyAudit))]
    public async Task<Ok<AuditVerificationResponse>> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/genesis/audit/verify")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        QueryReader.For(request);
        return TypedResults.Ok(AuditVerificationResponse.From(await audit.VerifyAsync(cancellationToken)));
    }
}

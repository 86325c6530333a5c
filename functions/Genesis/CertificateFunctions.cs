using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Npgsql;
using Plant.Core.Genesis;
using Plant.Genesis.Http;
using Plant.Hosting;

namespace Plant.Genesis;

/// <summary>Certificates: read one, and verify one against its signature and the stored version it certifies.</summary>
public sealed class CertificateFunctions(NpgsqlDataSource dataSource, CertificateVerifier verifier)
{
    [Function(nameof(GetCertificate))]
    public async Task<IResult> GetCertificate(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/genesis/certificates/{id}")] HttpRequest request,
        Guid id, CancellationToken cancellationToken) =>
        await CertificateStore.FindAsync(dataSource, id, cancellationToken) is { } certificate
            ? Results.Json(CertificateResponses.Certificate(certificate))
            : CertificateNotFound(id);

    /// <summary>
    /// Body: <c>{ "certificateId": "…" }</c> to verify a stored certificate, or <c>{ "payload": "base64", "signature": "base64" }</c>
    /// to verify one presented as issued. Always 200 with <c>valid</c> and every check, unless the body is malformed
    /// (400) or names a certificate that does not exist (404).
    /// </summary>
    [Function(nameof(VerifyCertificate))]
    public async Task<IResult> VerifyCertificate(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/genesis/certificates/verify")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await GenesisRequests.ReadObjectAsync(request, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        if (body.Count == 1 && body.TryGetPropertyValue("certificateId", out var idNode))
        {
            if (!Guid.TryParse(GenesisRequests.StringOf(idNode), out var id))
            {
                return GenesisRequests.Malformed("'certificateId' must be a certificate id (a UUID string).");
            }

            return await verifier.VerifyStoredAsync(id, cancellationToken) is { } stored
                ? Results.Json(CertificateResponses.Verification(stored))
                : CertificateNotFound(id);
        }

        var unexpected = body.Select(p => p.Key).FirstOrDefault(k => k is not ("payload" or "signature" or "certificateId" or "entityId" or "entityType"
            or "version" or "contentHash" or "issuedAt" or "keyId" or "algorithm"));
        if (unexpected is not null)
        {
            return GenesisRequests.Malformed($"The body has the property '{unexpected}'; send {{ \"certificateId\" }} or a certificate with 'payload' and 'signature'.");
        }

        // A certificate as GET answers it may be sent back whole: only payload and signature count, the other
        // members are a readable copy of the payload and are not trusted.
        if (Base64(body, "payload") is not { } payload)
        {
            return GenesisRequests.Malformed("'payload' must be the certificate's payload, base64, exactly as issued.");
        }

        if (GenesisRequests.StringOf(body["signature"]) is not { } signature || Base64(body, "signature") is null)
        {
            return GenesisRequests.Malformed("'signature' must be the certificate's signature, base64.");
        }

        var verification = await verifier.VerifyAsync(payload, signature, cancellationToken);
        return Results.Json(CertificateResponses.Verification(verification));
    }

    private static byte[]? Base64(JsonObject body, string name)
    {
        if (GenesisRequests.StringOf(body[name]) is not { } text)
        {
            return null;
        }

        var bytes = new byte[text.Length * 3 / 4 + 3];
        return Convert.TryFromBase64String(text, bytes, out var length) && length > 0 ? bytes[..length] : null;
    }

    private static IResult CertificateNotFound(Guid id) =>
        Problems.Result(StatusCodes.Status404NotFound, Problems.NotFound, "Not found", $"Genesis has issued no certificate {id}.");
}

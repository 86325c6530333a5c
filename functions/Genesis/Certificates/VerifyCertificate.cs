using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Plant.Core.Genesis;
using Plant.Genesis.Wire;
using Plant.Hosting;

namespace Plant.Genesis.Certificates;

/// <summary>
/// <c>POST /api/v1/genesis/certificates/verify</c> with <c>{ "certificateId": "…" }</c> to verify a stored
/// certificate, or <c>{ "payload": "base64", "signature": "base64" }</c> to verify one presented as issued. Always
/// 200 with <c>valid</c> and every check, unless the body is malformed (400) or names no certificate (404).
/// </summary>
public sealed class VerifyCertificate(CertificateVerifier verifier)
{
    [Function(nameof(VerifyCertificate))]
    [EndpointSummary("Verify a certificate")]
    [EndpointDescription("With { certificateId } verifies a stored certificate; with { payload, signature } (base64, as issued) one presented to you. Every check runs and is reported: 200 with valid (all passed), checks and failures, whatever the outcome.")]
    [ProblemType(StatusCodes.Status404NotFound, Problems.NotFound, "certificateId names no certificate Genesis issued")]
    public async Task<Results<Ok<VerificationResponse>, ProblemHttpResult>> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/genesis/certificates/verify")] HttpRequest request,
        VerifyCertificateRequest body,
        CancellationToken cancellationToken)
    {
        QueryReader.For(request);
        if (body is { Payload: null, Signature: null, CertificateId: { } id } && body == new VerifyCertificateRequest(CertificateId: id))
        {
            return await verifier.VerifyStoredAsync(id, cancellationToken) is { } stored
                ? TypedResults.Ok(VerificationResponse.From(stored))
                : GetCertificate.NotFound(id);
        }

        var payload = Base64(body.Payload)
            ?? throw BadInputException.MalformedJson("payload", "'payload' must be the certificate's payload, base64, exactly as issued.");
        if (body.Signature is not { } signature || Base64(signature) is null)
        {
            throw BadInputException.MalformedJson("signature", "'signature' must be the certificate's signature, base64.");
        }

        return TypedResults.Ok(VerificationResponse.From(await verifier.VerifyAsync(payload, signature, cancellationToken)));
    }

    private static byte[]? Base64(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var bytes = new byte[text.Length * 3 / 4 + 3];
        return Convert.TryFromBase64String(text, bytes, out var length) && length > 0 ? bytes[..length] : null;
    }
}

using System.Text.Json.Nodes;
using Plant.Core.Catalog;
using Plant.Core.Genesis;

namespace Plant.Genesis.Http;

/// <summary>The JSON of certificates and of their verification.</summary>
internal static class CertificateResponses
{
    /// <summary>
    /// A certificate: its statement's members for reading, and <c>payload</c> (base64 of the exact signed bytes) with
    /// <c>signature</c> (base64), which are what a verifier checks.
    /// </summary>
    public static JsonObject Certificate(Certificate certificate) => new()
    {
        ["certificateId"] = certificate.CertificateId,
        ["entityId"] = certificate.EntityId,
        ["entityType"] = certificate.EntityType.SchemaName(),
        ["version"] = certificate.Version,
        ["contentHash"] = certificate.ContentHash,
        ["issuedAt"] = Plant.Core.Genesis.Certificate.FormatTime(certificate.IssuedAt),
        ["keyId"] = certificate.KeyId,
        ["algorithm"] = Plant.Core.Genesis.Certificate.Algorithm,
        ["payload"] = Convert.ToBase64String(certificate.Payload),
        ["signature"] = certificate.Signature,
    };

    /// <summary>The answer to a certification that issued or found a certificate.</summary>
    public static JsonObject Certified(CertifyResult result)
    {
        var body = new JsonObject
        {
            ["certificate"] = Certificate(result.Certificate!),
            ["entity"] = EntityResponses.Entity(result.Entity!),
        };
        if (result.Report is { } report)
        {
            body["validation"] = GenesisResponses.Report(report);
        }

        return body;
    }

    /// <summary>A verification: <c>valid</c>, what was verified, every check, and the failed checks' reasons.</summary>
    public static JsonObject Verification(CertificateVerification verification) => new()
    {
        ["valid"] = verification.Valid,
        ["certificateId"] = verification.Certificate?.CertificateId,
        ["entityId"] = verification.Certificate?.EntityId,
        ["entityType"] = verification.Certificate?.EntityType.SchemaName(),
        ["version"] = verification.Certificate?.Version,
        ["contentHash"] = verification.Certificate?.ContentHash,
        ["keyId"] = verification.Certificate?.KeyId,
        ["checks"] = new JsonArray([.. verification.Checks.Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c.Name,
            ["passed"] = c.Passed,
            ["detail"] = c.Detail,
        })]),
        ["failures"] = new JsonArray([.. verification.Checks.Where(c => !c.Passed).Select(c => (JsonNode?)JsonValue.Create(c.Detail))]),
    };
}

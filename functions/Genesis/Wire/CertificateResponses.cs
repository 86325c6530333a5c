using System.Text.Json.Serialization;
using Plant.Core.Catalog;
using Plant.Core.Genesis;

namespace Plant.Genesis.Wire;

// The JSON of certificates and of their verification, mapped by hand from Plant.Core's records.

/// <summary>
/// A certificate: its statement's members for reading, and <see cref="Payload"/> (base64 of the exact signed bytes)
/// with <see cref="Signature"/> (base64), which are what a verifier checks.
/// </summary>
public sealed record CertificateResponse(
    Guid CertificateId, Guid EntityId, string EntityType, int Version, string ContentHash, string IssuedAt, string KeyId, string Algorithm,
    string Payload, string Signature)
{
    public static CertificateResponse From(Certificate c) => new(
        c.CertificateId, c.EntityId, c.EntityType.SchemaName(), c.Version, c.ContentHash, Certificate.FormatTime(c.IssuedAt), c.KeyId,
        Certificate.Algorithm, Convert.ToBase64String(c.Payload), c.Signature);
}

/// <summary>The answer to a certification that issued or found a certificate; <see cref="Validation"/> when the constitution was checked.</summary>
public sealed record CertifiedResponse(
    CertificateResponse Certificate, EntityResponse Entity, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ReportResponse? Validation)
{
    public static CertifiedResponse From(CertifyResult result) => new(
        CertificateResponse.From(result.Certificate!),
        EntityResponse.From(result.Entity!),
        result.Report is { } report ? ReportResponse.From(report) : null);
}

/// <summary>A verification: <see cref="Valid"/>, what was verified, every check, and the failed checks' reasons.</summary>
public sealed record VerificationResponse(
    bool Valid, Guid? CertificateId, Guid? EntityId, string? EntityType, int? Version, string? ContentHash, string? KeyId,
    IReadOnlyList<CheckResponse> Checks, IReadOnlyList<string> Failures)
{
    public static VerificationResponse From(CertificateVerification v) => new(
        v.Valid, v.Certificate?.CertificateId, v.Certificate?.EntityId, v.Certificate?.EntityType.SchemaName(), v.Certificate?.Version,
        v.Certificate?.ContentHash, v.Certificate?.KeyId,
        [.. v.Checks.Select(c => new CheckResponse(c.Name, c.Passed, c.Detail))],
        [.. v.Checks.Where(c => !c.Passed).Select(c => c.Detail)]);
}

/// <summary>One check of a verification.</summary>
public sealed record CheckResponse(string Name, bool Passed, string Detail);

/// <summary>
/// The body of <c>POST /certificates/verify</c>: a stored certificate's id, or a certificate as issued
/// (<see cref="Payload"/> and <see cref="Signature"/>). A certificate as GET answers it may be sent back whole; its
/// other members are a readable copy of the payload and are not trusted.
/// </summary>
public sealed record VerifyCertificateRequest(
    Guid? CertificateId = null, string? Payload = null, string? Signature = null,
    Guid? EntityId = null, string? EntityType = null, int? Version = null, string? ContentHash = null, string? IssuedAt = null,
    string? KeyId = null, string? Algorithm = null);

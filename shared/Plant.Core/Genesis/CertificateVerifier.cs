using Npgsql;
using Plant.Core.Catalog;
using Plant.Core.Signing;

namespace Plant.Core.Genesis;

/// <summary>One check of a certificate verification.</summary>
/// <param name="Name"><c>payload</c>, <c>signature</c>, <c>issued</c>, <c>version</c>, <c>content-hash</c> or <c>recorded-hash</c>.</param>
/// <param name="Passed">Whether it passed.</param>
/// <param name="Detail">What was found, in words: on failure, why.</param>
public sealed record CertificateCheck(string Name, bool Passed, string Detail);

/// <summary>The outcome of verifying a certificate: valid only when every check passed.</summary>
/// <param name="Certificate">The certificate as its payload states it; null when the payload could not be read.</param>
/// <param name="Checks">Every check made, in order.</param>
/// <param name="Version">The stored version the certificate names, when it exists.</param>
public sealed record CertificateVerification(Certificate? Certificate, IReadOnlyList<CertificateCheck> Checks, EntityVersion? Version)
{
    /// <summary>True when every check passed.</summary>
    public bool Valid => Checks.All(c => c.Passed);
}

/// <summary>
/// Verifies a certificate: that its payload is a canonical certificate statement, that its signature verifies
/// under the key it names (any key of the ring, so certificates signed before a rotation still verify), that
/// Genesis issued exactly these bytes, and that the stored version it names still has the content it certified
/// (the content hash is recomputed from the rows with <see cref="EntityContent.ComputeHash"/>, the function used
/// when the version was written). Every check runs, so a failure says all that is wrong.
/// </summary>
public sealed class CertificateVerifier
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly SigningKeyRing _keys;

    public CertificateVerifier(NpgsqlDataSource dataSource, SigningKeyRing keys)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(keys);
        _dataSource = dataSource;
        _keys = keys;
    }

    /// <summary>Verifies the stored certificate with this id; null when there is none.</summary>
    public async Task<CertificateVerification?> VerifyStoredAsync(Guid certificateId, CancellationToken ct)
    {
        var stored = await CertificateStore.FindAsync(_dataSource, certificateId, ct);
        return stored is null ? null : await VerifyAsync(stored.Payload, stored.Signature, ct);
    }

    /// <summary>Verifies a certificate someone presents: the payload bytes exactly as issued, and the base64 signature.</summary>
    public async Task<CertificateVerification> VerifyAsync(byte[] payload, string signature, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(signature);
        var certificate = Certificate.TryParse(payload, signature, out var reason);
        if (certificate is null)
        {
            return new CertificateVerification(null, [new CertificateCheck("payload", false, "The payload is not a Genesis certificate: " + reason)], null);
        }

        var checks = new List<CertificateCheck>
        {
            new("payload", true, $"A canonical {Certificate.Schema} statement: entity {certificate.EntityId}, version {certificate.Version}."),
            _keys.Verify(payload, new Signature(certificate.KeyId, signature)) switch
            {
                SignatureCheck.Valid => new("signature", true, $"The {Certificate.Algorithm} signature verifies under key '{certificate.KeyId}'."),
                SignatureCheck.UnknownKey => new("signature", false, $"The certificate names the key '{certificate.KeyId}', which is not a key of this Genesis (known: {string.Join(", ", _keys.KeyIds)})."),
                _ => new("signature", false, $"The signature does not verify under key '{certificate.KeyId}': it was made by another key, or over other bytes."),
            },
        };

        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        var stored = await CertificateStore.FindByIdAsync(connection, certificate.CertificateId, ct);
        checks.Add(stored switch
        {
            null => new("issued", false, $"Genesis has issued no certificate {certificate.CertificateId}."),
            _ when !stored.Payload.AsSpan().SequenceEqual(payload) || stored.Signature != signature =>
                new("issued", false, $"Certificate {certificate.CertificateId} was issued with other bytes than these."),
            _ => new("issued", true, $"Genesis issued certificate {certificate.CertificateId} with exactly these bytes at {Certificate.FormatTime(stored.IssuedAt)}."),
        });

        var version = await EntityReader.VersionAsync(connection, null, certificate.EntityId, certificate.Version, ct);
        if (version is null || version.EntityType != certificate.EntityType)
        {
            checks.Add(new("version", false, $"The catalog has no version {certificate.Version} of {certificate.EntityType.DisplayName()} {certificate.EntityId}."));
            return new CertificateVerification(certificate, checks, null);
        }

        checks.Add(new("version", true, $"Version {version.Version} of {version.EntityType.DisplayName()} {version.EntityId} exists ({(version.IsCurrent ? "current" : "superseded")}, {version.Status.SchemaName()})."));
        var recomputed = version.Content.ComputeHash();
        checks.Add(recomputed == certificate.ContentHash
            ? new("content-hash", true, $"The stored version's content hashes to {recomputed}, the hash the certificate certifies.")
            : new("content-hash", false, $"The stored version's content now hashes to {recomputed}, not to {certificate.ContentHash} as certified: it was changed after certification."));
        checks.Add(version.ContentHash == certificate.ContentHash
            ? new("recorded-hash", true, "The version's recorded content_hash is the certified hash.")
            : new("recorded-hash", false, $"The version's recorded content_hash is {version.ContentHash}, not the certified {certificate.ContentHash}: the row was changed after certification."));
        return new CertificateVerification(certificate, checks, version);
    }
}

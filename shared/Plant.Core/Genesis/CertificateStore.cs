using Dapper;
using Npgsql;
using Plant.Core.Catalog;

namespace Plant.Core.Genesis;

/// <summary>Reads certificates from <c>catalog.certificate</c>, with the exact payload bytes that were signed.</summary>
public static class CertificateStore
{
    private const string Select = """
        select c.certificate_id, c.entity_id, e.entity_type, c.version, c.content_hash, c.issued_at, c.key_id, c.payload, c.signature
        from catalog.certificate c
        join catalog.entity e on e.entity_id = c.entity_id
        """;

    /// <summary>The certificate with this id, or null.</summary>
    public static async Task<Certificate?> FindAsync(NpgsqlDataSource dataSource, Guid certificateId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await FindByIdAsync(connection, certificateId, ct);
    }

    /// <summary>The certificate with this id, or null, on an open connection.</summary>
    public static async Task<Certificate?> FindByIdAsync(NpgsqlConnection connection, Guid certificateId, CancellationToken ct)
    {
        const string Sql = Select + "\nwhere c.certificate_id = @id";
        return ToCertificate(await connection.QueryFirstOrDefaultAsync<CertificateRow>(Sql, new { id = certificateId, ct }), certificateId);
    }

    /// <summary>The certificate of one version, or null.</summary>
    public static async Task<Certificate?> FindByVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid versionId, CancellationToken ct)
    {
        const string Sql = Select + "\nwhere c.version_id = @id";
        return ToCertificate(await connection.QueryFirstOrDefaultAsync<CertificateRow>(Sql, new { id = versionId, ct }, transaction), versionId);
    }

    private static Certificate? ToCertificate(CertificateRow? row, Guid id)
    {
        if (row is null)
        {
            return null;
        }

        if (!EntityTypes.TryParseSchemaName(row.EntityType, out var type))
        {
            throw new InvalidOperationException($"Certificate {id} is of an entity of type '{row.EntityType}', which Genesis does not certify.");
        }

        return new Certificate
        {
            CertificateId = row.CertificateId,
            EntityId = row.EntityId,
            EntityType = type,
            Version = row.Version,
            ContentHash = row.ContentHash,
            IssuedAt = row.IssuedAt,
            KeyId = row.KeyId,
            Payload = row.Payload,
            Signature = Convert.ToBase64String(row.Signature),
        };
    }

    /// <summary>A certificate row as stored: the entity type as its schema name, the signature as bytes.</summary>
    internal sealed record CertificateRow(
        Guid CertificateId, Guid EntityId, string EntityType, int Version, string ContentHash, DateTimeOffset IssuedAt, string KeyId, byte[] Payload, byte[] Signature);
}

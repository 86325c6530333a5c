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
    public static Task<Certificate?> FindByIdAsync(NpgsqlConnection connection, Guid certificateId, CancellationToken ct) =>
        QueryOneAsync(connection, null, Select + "\nwhere c.certificate_id = @id", certificateId, ct);

    /// <summary>The certificate of one version, or null.</summary>
    public static Task<Certificate?> FindByVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid versionId, CancellationToken ct) =>
        QueryOneAsync(connection, transaction, Select + "\nwhere c.version_id = @id", versionId, ct);

    private static async Task<Certificate?> QueryOneAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, Guid id, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        if (!EntityTypes.TryParseSchemaName(reader.GetString(2), out var type))
        {
            throw new InvalidOperationException($"Certificate {id} is of an entity of type '{reader.GetString(2)}', which Genesis does not certify.");
        }

        return new Certificate
        {
            CertificateId = reader.GetGuid(0),
            EntityId = reader.GetGuid(1),
            EntityType = type,
            Version = reader.GetInt32(3),
            ContentHash = reader.GetString(4),
            IssuedAt = reader.GetFieldValue<DateTimeOffset>(5),
            KeyId = reader.GetString(6),
            Payload = reader.GetFieldValue<byte[]>(7),
            Signature = Convert.ToBase64String(reader.GetFieldValue<byte[]>(8)),
        };
    }
}

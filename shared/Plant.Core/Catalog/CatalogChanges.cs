using Dapper;
using Npgsql;

namespace Plant.Core.Catalog;

/// <summary>
/// The catalog change marker (V0005, <c>catalog.change_marker</c>): a number that grows in the same commit as every
/// change of the catalog (trials aside), whichever process makes it. A cache that remembers the number it was built
/// at is current exactly while the number has not moved; ETags of catalog answers are derived from it.
/// </summary>
public static class CatalogChanges
{
    /// <summary>The statement that reads the marker; batches put it first, so data read after it is never older.</summary>
    public const string Sql = "select version from catalog.change_marker";

    /// <summary>The current value of the marker.</summary>
    /// <remarks>
    /// Every list and item request reads it first, so it runs as a prepared statement: preparing again on the same
    /// physical connection costs nothing (Npgsql keeps it across pool rentals), and PostgreSQL skips parsing and
    /// planning it each time.
    /// </remarks>
    public static async Task<long> ReadVersionAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(Sql, connection);
        await command.PrepareAsync(ct);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The marker, read as the first result of a batch that starts with <see cref="Sql"/>.</summary>
    public static async Task<long> ReadVersionAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reader);
        await reader.ReadAsync(ct);
        return reader.GetInt64(0);
    }

    /// <summary>The current value of the marker, read on an open connection (inside its transaction, if any).</summary>
    public static async Task<long> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return await connection.ExecuteScalarAsync<long>(Sql, new { ct }, transaction);
    }
}

using Npgsql;

namespace Plant.Core.Catalog;

/// <summary>
/// Checks, inside a query's own batch, that the ids it filters by name current entities of their types: a filter
/// by an id that names nothing must be the caller's error, not an empty answer.
/// </summary>
public static class CatalogReferences
{
    private const string Sql = "select entity_id, entity_type from catalog.entity_version where is_current and entity_id = any(@refs)";

    /// <summary>The statement that <see cref="CheckAsync"/> reads, for a batch of another query.</summary>
    public static NpgsqlBatchCommand Command(IEnumerable<Guid> ids)
    {
        var command = new NpgsqlBatchCommand(Sql);
        command.Parameters.AddWithValue("refs", ids.Distinct().ToArray());
        return command;
    }

    /// <summary>Reads the result of <see cref="Command"/>.</summary>
    /// <exception cref="UnknownReferenceException">The first reference that names no current entity of its type.</exception>
    public static async Task CheckAsync(NpgsqlDataReader reader, IReadOnlyList<(EntityType Type, Guid Id)> references, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(references);
        var found = new HashSet<(Guid, string)>();
        while (await reader.ReadAsync(ct))
        {
            found.Add((reader.GetGuid(0), reader.GetString(1)));
        }

        foreach (var (type, id) in references)
        {
            if (!found.Contains((id, type.SchemaName())))
            {
                throw new UnknownReferenceException(type, id);
            }
        }
    }
}

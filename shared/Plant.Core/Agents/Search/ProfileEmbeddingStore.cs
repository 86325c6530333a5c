using Dapper;
using Npgsql;
using Plant.Core.Data;

namespace Plant.Core.Agents.Search;

/// <summary>
/// <c>catalog.agent_profile_embedding</c>: the profile vector of each agent per embedder (V0011), filed under its
/// profile key, so that a new process (or another instance) does not call the embedder for the whole catalog again,
/// and instances with different embedders keep rows of their own.
/// </summary>
internal static class ProfileEmbeddingStore
{
    private const int WriteChunk = 500;

    /// <summary>The stored vectors of these agents by this embedder whose key is the expected one; stale rows are left out.</summary>
    public static async Task<Dictionary<Guid, float[]>> ReadAsync(NpgsqlDataSource dataSource, string embedder, IReadOnlyDictionary<Guid, byte[]> expectedKeys, CancellationToken ct)
    {
        var found = new Dictionary<Guid, float[]>(expectedKeys.Count);
        if (expectedKeys.Count == 0)
        {
            return found;
        }

        const string Sql = "select agent_id, profile_key, embedding from catalog.agent_profile_embedding where agent_id = any(@ids) and embedder = @embedder";
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<StoredEmbedding>(Sql, new { ids = PgArray.Of(expectedKeys.Keys), embedder, ct });
        foreach (var row in rows)
        {
            if (row.ProfileKey.AsSpan().SequenceEqual(expectedKeys[row.AgentId]))
            {
                found[row.AgentId] = row.Embedding;
            }
        }

        return found;
    }

    /// <summary>
    /// Stores vectors computed from the catalog as of <paramref name="catalogVersion"/>. A row written from a newer
    /// catalog is never replaced by one from an older catalog, so a lagging instance cannot make the store stale.
    /// </summary>
    public static async Task WriteAsync(NpgsqlDataSource dataSource, string embedder, IReadOnlyList<(Guid Id, byte[] Key, float[] Vector)> rows, long catalogVersion, CancellationToken ct)
    {
        const string Sql = """
            insert into catalog.agent_profile_embedding as e (agent_id, embedder, profile_key, catalog_version, embedding)
            select @id, @embedder, @key, @version, @embedding where exists (select 1 from catalog.entity where entity_id = @id)
            on conflict (agent_id, embedder) do update
                set profile_key = excluded.profile_key, catalog_version = excluded.catalog_version,
                    embedding = excluded.embedding, updated_at = now()
                where e.catalog_version <= excluded.catalog_version and e.profile_key <> excluded.profile_key
            """;
        // One round trip per chunk: an Npgsql batch, which Dapper has no form of (it would send a statement per row).
        foreach (var chunk in rows.Chunk(WriteChunk))
        {
            await using var batch = dataSource.CreateBatch();
            foreach (var (id, key, vector) in chunk)
            {
                var command = new NpgsqlBatchCommand(Sql);
                command.Parameters.AddWithValue("id", id);
                command.Parameters.AddWithValue("embedder", embedder);
                command.Parameters.AddWithValue("key", key);
                command.Parameters.AddWithValue("version", catalogVersion);
                command.Parameters.AddWithValue("embedding", vector);
                batch.BatchCommands.Add(command);
            }

            try
            {
                await batch.ExecuteNonQueryAsync(ct);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
            {
                // An agent was removed between the check above and the insert: the chunk is rolled back and its
                // vectors are computed again on the next refresh, which no longer sees that agent.
            }
        }
    }

    /// <summary>A stored vector (<c>real[]</c>) and the profile key it was computed for.</summary>
    internal sealed record StoredEmbedding(Guid AgentId, byte[] ProfileKey, float[] Embedding);
}

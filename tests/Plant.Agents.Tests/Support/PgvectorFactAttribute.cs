using Npgsql;
using Plant.Testing;

namespace Plant.Agents.Tests.Support;

/// <summary>
/// A fact that runs only where the test PostgreSQL server has (<c>available: true</c>) or lacks
/// (<c>available: false</c>) the pgvector extension, and is skipped with the reason otherwise. These machines lack it
/// (REGISTRY.md); Cloud SQL and a server with postgresql-15-pgvector have it.
/// </summary>
public sealed class PgvectorFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> s_available = new(() =>
    {
        var server = PostgresServer.SharedAsync().GetAwaiter().GetResult();
        using var dataSource = NpgsqlDataSource.Create(server.AdminConnectionString);
        using var command = dataSource.CreateCommand("select exists (select 1 from pg_available_extensions where name = 'vector')");
        return (bool)command.ExecuteScalar()!;
    });

    public PgvectorFactAttribute(bool available = true)
    {
        if (s_available.Value != available)
        {
            Skip = available
                ? "pgvector is not installed on the test PostgreSQL server (pg_available_extensions has no 'vector'), so V0005 created no vector column and the array path is what runs here; this test runs where the extension exists (Cloud SQL, or postgresql-15-pgvector)."
                : "pgvector is installed on the test PostgreSQL server; PgvectorTests cover the vector path there.";
        }
    }
}

using Npgsql;
using Xunit;

namespace Plant.Testing;

/// <summary>
/// A fresh, empty database on the shared <see cref="PostgresServer"/> for as long as the fixture lives:
/// created in <see cref="InitializeAsync"/>, dropped in <see cref="DisposeAsync"/>. Use it as an xunit
/// class or collection fixture; derive from it to add a schema after <c>base.InitializeAsync()</c>.
/// </summary>
public class PostgresDatabaseFixture : IAsyncLifetime
{
    private readonly string? _prefix;
    private PostgresServer? _server;
    private string? _connectionString;
    private NpgsqlDataSource? _dataSource;

    public PostgresDatabaseFixture()
    {
    }

    /// <param name="prefix">Goes into the database name, to tell databases apart when debugging.</param>
    protected PostgresDatabaseFixture(string? prefix) => _prefix = prefix;

    public PostgresServer Server => _server ?? throw NotInitialized();

    /// <summary>Connection string to this fixture's database.</summary>
    public string ConnectionString => _connectionString ?? throw NotInitialized();

    /// <summary>A data source on this fixture's database, disposed with the fixture.</summary>
    public NpgsqlDataSource DataSource => _dataSource ?? throw NotInitialized();

    public virtual async Task InitializeAsync()
    {
        _server = await PostgresServer.SharedAsync().ConfigureAwait(false);
        _connectionString = await _server.CreateDatabaseAsync(_prefix ?? GetType().Name).ConfigureAwait(false);
        _dataSource = NpgsqlDataSource.Create(_connectionString);
    }

    public virtual async Task DisposeAsync()
    {
        // The data source's pooled connections go first, so the drop does not have to terminate them.
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
            _dataSource = null;
        }
        if (_server is not null && _connectionString is not null)
        {
            await _server.DropDatabaseAsync(_connectionString).ConfigureAwait(false);
            _connectionString = null;
        }
    }

    private InvalidOperationException NotInitialized() =>
        new($"{GetType().Name} is used before InitializeAsync ran or after DisposeAsync.");
}

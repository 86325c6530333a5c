using Microsoft.Extensions.Logging;
using Npgsql;
using Plant.Core.Audit;
using Plant.Core.Migrations;
using Plant.Core.Signing;
using Plant.Core.Tests.Signing;
using Plant.Testing;

namespace Plant.Core.Tests.Audit;

/// <summary>
/// A database migrated to the latest version with an audit trail on it. As a class fixture it is shared by a
/// class's tests; tests that break the chain on purpose create one of their own with <see cref="CreateAsync"/>.
/// </summary>
public sealed class AuditDatabase : PostgresDatabaseFixture, IAsyncDisposable
{
    public AuditDatabase()
        : base("audit")
    {
    }

    public SigningKeyRing Keys { get; } = TestKeys.Ring();

    public ListLogger<AuditTrail> Logger { get; } = new();

    public AuditTrail Trail => new(DataSource, Keys, Logger);

    public static async Task<AuditDatabase> CreateAsync()
    {
        var database = new AuditDatabase();
        await database.InitializeAsync();
        return database;
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await TestPipeline.Create(DataSource).UpAsync();
    }

    public override async Task DisposeAsync()
    {
        Keys.Dispose();
        await base.DisposeAsync();
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    public async Task AppendAsync(int count, string action = "test.appended")
    {
        for (var i = 0; i < count; i++)
        {
            await Trail.AppendAsync(new AuditRecord("tester", action, Guid.NewGuid()), CancellationToken.None);
        }
    }

    /// <summary>Runs SQL as the superuser the fixture connects as.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Runs SQL on a connection that has taken the application's role, plant_app (not a superuser).</summary>
    public async Task ExecuteAsApplicationAsync(string sql)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using (var role = new NpgsqlCommand("set role plant_app", connection))
        {
            await role.ExecuteNonQueryAsync();
        }

        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
        finally
        {
            await using var reset = new NpgsqlCommand("reset role", connection);
            await reset.ExecuteNonQueryAsync();
        }
    }
}

/// <summary>Keeps every log line, formatted, for assertions.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    private readonly List<(LogLevel Level, string Message)> _lines = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lines)
        {
            _lines.Add((logLevel, formatter(state, exception)));
        }
    }
}

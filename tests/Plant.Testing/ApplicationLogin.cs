using System.Security.Cryptography;
using Npgsql;

namespace Plant.Testing;

/// <summary>
/// A LOGIN role of its own whose only privilege is membership of <c>plant_app</c>: the database user the Genesis and
/// Agents apps run as in production (docs/AUDIT.md, "Database users"). Roles belong to the whole cluster, so each
/// has a unique name; it is dropped on dispose. <c>plant_app</c> must exist already: migrate a database first (V0003
/// creates it).
/// </summary>
public sealed class ApplicationLogin : IAsyncDisposable
{
    /// <summary>The role the function apps' login user is a member of.</summary>
    public const string ApplicationRole = "plant_app";

    private readonly PostgresServer _server;
    private readonly string _password;

    private ApplicationLogin(PostgresServer server, string name, string password)
    {
        _server = server;
        Name = name;
        _password = password;
    }

    /// <summary>The role's name, <c>t_app_</c> and 12 hex digits.</summary>
    public string Name { get; }

    /// <summary>Creates the role on the shared server: LOGIN, INHERIT, a random password, member of plant_app only.</summary>
    public static async Task<ApplicationLogin> CreateAsync()
    {
        var server = await PostgresServer.SharedAsync();
        // CREATE ROLE takes no parameters: name and password are hex digits made here. The password matters only
        // where the server asks for one (PLANT_TEST_DATABASE_URL); the servers the tests start trust 127.0.0.1.
        var name = "t_app_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await using var admin = new NpgsqlConnection(server.AdminConnectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"""
            create role {name} login inherit nosuperuser nocreatedb nocreaterole password '{password}';
            grant {ApplicationRole} to {name};
            """,
            admin);
        await command.ExecuteNonQueryAsync();
        return new ApplicationLogin(server, name, password);
    }

    /// <summary>The connection string of <paramref name="databaseConnectionString"/>'s database, as this role.</summary>
    public string ConnectionStringFor(string databaseConnectionString) =>
        new NpgsqlConnectionStringBuilder(databaseConnectionString) { Username = Name, Password = _password }.ConnectionString;

    /// <summary>Drops the role; close its connections (dispose hosts and data sources using it) first.</summary>
    public async ValueTask DisposeAsync()
    {
        await using var admin = new NpgsqlConnection(_server.AdminConnectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand($"drop role if exists {Name}", admin);
        await command.ExecuteNonQueryAsync();
    }
}

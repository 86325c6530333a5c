using System.Globalization;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Plant.Deploy.Tests.Support;
using Plant.Migrate;
using Plant.Testing;

namespace Plant.Deploy.Tests;

/// <summary>
/// deploy/database.sql, run once with psql as the README's set-up runs it (on a server of its own: it makes roles,
/// which belong to the whole server), makes the database the Migrate app migrates as <c>plant_migrator</c> and
/// Genesis and Agents use as <c>plant_service</c>.
/// </summary>
public sealed class DatabaseSetupTests
{
    private const string MigratorPassword = "migrator-password-for-a-test";
    private const string ServicePassword = "service-password-for-a-test";

    [Fact]
    public async Task The_one_time_SQL_makes_a_database_the_migration_user_migrates_and_the_service_user_only_uses()
    {
        await using var server = await PostgresServer.StartPrivateAsync();
        var admin = new NpgsqlConnectionStringBuilder(server.Server.AdminConnectionString);

        var (exitCode, _, error) = Processes.Run("bash", ["-c", "psql --no-psqlrc < \"$0\"", RepositoryFolder.Path("deploy", "database.sql")], new Dictionary<string, string>
        {
            ["PGHOST"] = admin.Host!,
            ["PGPORT"] = admin.Port.ToString(CultureInfo.InvariantCulture),
            ["PGUSER"] = admin.Username!,
            ["PGPASSWORD"] = admin.Password ?? "",
            ["PGDATABASE"] = "postgres",
            ["MIGRATOR_PASSWORD"] = MigratorPassword,
            ["SERVICE_PASSWORD"] = ServicePassword,
        });
        Assert.True(exitCode == 0, error);

        // The migration job's first run: up, as plant_migrator.
        var settings = new Dictionary<string, string?>(TestSigningKeys.Settings.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)))
        {
            ["DATABASE_URL"] = As(admin, "plant_migrator", MigratorPassword),
            ["PLANT_BACKUP"] = "none",
        };
        using var output = new StringWriter();
        using var failure = new StringWriter();
        var up = await MigrateCommandLine.RunAsync(["up"], new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), output, failure);
        Assert.True(up == MigrateCommandLine.Success, $"{failure}{output}");

        // The apps' user: reads the catalog, changes no schema, and holds plant_app's rights and nothing else.
        await using var service = NpgsqlDataSource.Create(As(admin, "plant_service", ServicePassword));
        Assert.Equal(0L, await service.CreateCommand("select count(*) from catalog.entity").ExecuteScalarAsync());
        var refused = await Assert.ThrowsAsync<PostgresException>(() => service.CreateCommand("create table catalog.extra (id int)").ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        var memberOf = (string[])(await service.CreateCommand(
            "select array_agg(r.rolname) from pg_auth_members m join pg_roles r on r.oid = m.roleid where m.member = (select oid from pg_roles where rolname = current_user)")
            .ExecuteScalarAsync())!;
        Assert.Equal(["plant_app"], memberOf);
    }

    private static string As(NpgsqlConnectionStringBuilder admin, string user, string password) =>
        new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Username = user, Password = password, Database = "plant", Pooling = false }.ConnectionString;
}

using Plant.Testing;

namespace Plant.Migrate.Tests.CommandLine;

/// <summary><c>Plant.Migrate seed</c> as a child process, as an operator runs it.</summary>
public sealed class SeedCommandLineTests
{
    [Fact]
    public async Task Seed_in_prod_exits_1_with_one_line_and_touches_no_database()
    {
        // The database does not exist: the refusal comes before any connection.
        var result = await MigrateCommandLineTests.RunAsync(Environment("Host=127.0.0.1;Port=1;Database=none", "prod"), "seed");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("seed: refused in prod: the Genesis baseline is only seeded in local and demo.", result.Error);
    }

    [Fact]
    public async Task Seed_in_uat_exits_1_naming_the_setting_that_allows_it()
    {
        await using var db = await ScratchDatabase.CreateAsync("seed_cli_uat");
        await db.Pipeline().UpAsync();
        var environment = new Dictionary<string, string>(Environment(db.ConnectionString, "uat")) { ["PLANT_RETENTION_DAYS"] = "30" };

        var result = await MigrateCommandLineTests.RunAsync(environment, "seed");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("seed: the seed is not allowed in uat (PLANT_SEED_ALLOWED is false; it runs in local and demo).", result.Error);
        Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from catalog.entity"));
    }

    [Fact]
    public async Task Seed_with_pending_migrations_exits_1_and_asks_for_up_first()
    {
        await using var db = await ScratchDatabase.CreateAsync("seed_cli_pending");

        var result = await MigrateCommandLineTests.RunAsync(Environment(db.ConnectionString, "local"), "seed");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("seed: the schema is at V0000 and the seed needs the latest", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("run up first.", result.Error, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from pg_namespace where nspname = 'catalog'"));
    }

    [Fact]
    public async Task Seed_with_an_option_is_a_usage_error()
    {
        var result = await MigrateCommandLineTests.RunAsync(Environment("Host=127.0.0.1;Database=unused", "local"), "seed", "--to", "1");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("usage: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seed_after_up_exits_0_and_a_second_seed_inserts_nothing()
    {
        await using var db = await ScratchDatabase.CreateAsync("seed_cli_ok");
        await db.Pipeline().UpAsync();

        var first = await MigrateCommandLineTests.RunAsync(Environment(db.ConnectionString, "demo"), "seed");
        var second = await MigrateCommandLineTests.RunAsync(Environment(db.ConnectionString, "demo"), "seed");

        Assert.Equal((0, ""), (first.ExitCode, first.Error));
        Assert.Contains("inserted 88 (3 industries, 19 skills, 10 job roles, 6 teams, 50 agents), 0 already present", first.Output, StringComparison.Ordinal);
        Assert.Equal((0, ""), (second.ExitCode, second.Error));
        Assert.Contains("inserted 0 (0 industries, 0 skills, 0 job roles, 0 teams, 0 agents), 88 already present", second.Output, StringComparison.Ordinal);
        Assert.Equal(88L, await db.ScalarAsync<long>("select count(*) from catalog.entity"));
    }

    /// <summary>
    /// The seed certifies through Genesis, so it signs: with the tests' key, given as a setting (outside local a key
    /// is required; locally it would otherwise be generated into the working folder).
    /// </summary>
    private static Dictionary<string, string> Environment(string databaseUrl, string environment) =>
        new(TestSigningKeys.Settings) { ["DATABASE_URL"] = databaseUrl, ["PLANT_ENVIRONMENT"] = environment };
}

using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Plant.Hosting.Tests.Support;
using Plant.Testing.Hosting;
using Plant.Testing;

namespace Plant.Hosting.Tests.Http;

public sealed class KeyFunctions
{
    [Function("KeyedFromSettings")]
    public static string Keyed([HttpTrigger(AuthorizationLevel.Function, "get", Route = "Keyed")] HttpRequest request) => "keyed";

    [Function("AdminOnlyFromSettings")]
    public static string AdminOnly([HttpTrigger(AuthorizationLevel.Admin, "get", Route = "AdminOnly")] HttpRequest request) => "admin";
}

/// <summary>Where keys come from: settings, secret files, or (locally only) generated once.</summary>
public sealed class KeyTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task A_local_run_without_keys_generates_them_once_and_reuses_them()
    {
        var localDir = Directory.CreateTempSubdirectory("plant-local-").FullName;
        try
        {
            var settings = LocalWithoutKeys(localDir);
            var keys = Path.Combine(localDir, "keys");
            string master, function;
            await using (var host = await TestHost.StartAsync(database.ConnectionString, [typeof(KeyFunctions)], settings))
            {
                master = File.ReadAllText(Path.Combine(keys, "master.key"));
                function = File.ReadAllText(Path.Combine(keys, "function.key"));
                Assert.True(master.Length >= 32);
                Assert.True(function.Length >= 32);
                Assert.NotEqual(master, function);
                await AssertKeysWorkAsync(host, master, function);
            }

            if (!OperatingSystem.IsWindows())
            {
                const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                Assert.Equal(ownerOnly, File.GetUnixFileMode(Path.Combine(keys, "master.key")));
                Assert.Equal(ownerOnly, File.GetUnixFileMode(Path.Combine(keys, "function.key")));
                Assert.Equal(ownerOnly | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
            }

            await using (var again = await TestHost.StartAsync(database.ConnectionString, [typeof(KeyFunctions)], settings))
            {
                Assert.Equal(master, File.ReadAllText(Path.Combine(keys, "master.key")));
                Assert.Equal(function, File.ReadAllText(Path.Combine(keys, "function.key")));
                await AssertKeysWorkAsync(again, master, function);
            }
        }
        finally
        {
            Directory.Delete(localDir, recursive: true);
        }
    }

    [Fact]
    public void An_empty_local_key_file_fails_start_up_naming_PLANT_LOCAL_DIR()
    {
        var localDir = Directory.CreateTempSubdirectory("plant-local-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(localDir, "keys"));
            File.WriteAllText(Path.Combine(localDir, "keys", "master.key"), "\n");
            var e = StartupFailure.Of<StartupException>(database.ConnectionString, [typeof(KeyFunctions)], LocalWithoutKeys(localDir));
            Assert.Contains(e.Problems, p => p.StartsWith("PLANT_LOCAL_DIR" + ":", StringComparison.Ordinal));
            Assert.Contains("master.key", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(localDir, recursive: true);
        }
    }

    [Fact]
    public void A_local_start_up_that_fails_generates_no_keys()
    {
        var localDir = Directory.CreateTempSubdirectory("plant-local-").FullName;
        try
        {
            var settings = LocalWithoutKeys(localDir);
            settings["PLANT_RATE_LIMIT_PER_MINUTE"] = "lots";
            var e = StartupFailure.Of<StartupException>(database.ConnectionString, [typeof(KeyFunctions)], settings);
            Assert.Contains(e.Problems, p => p.StartsWith("PLANT_RATE_LIMIT_PER_MINUTE:", StringComparison.Ordinal));
            Assert.False(Directory.Exists(Path.Combine(localDir, "keys")));
        }
        finally
        {
            Directory.Delete(localDir, recursive: true);
        }
    }

    [Theory]
    [InlineData("uat", null)]
    [InlineData("prod", null)]
    [InlineData("demo", null)]
    [InlineData("local", "plant-keys")]
    public void Without_keys_outside_a_local_run_start_up_fails_naming_PLANT_MASTER_KEY(string environment, string? kService)
    {
        var localDir = Directory.CreateTempSubdirectory("plant-local-").FullName;
        try
        {
            var settings = LocalWithoutKeys(localDir);
            settings["PLANT_ENVIRONMENT"] = environment;
            settings["K_SERVICE"] = kService;
            var e = StartupFailure.Of<StartupException>(database.ConnectionString, [typeof(KeyFunctions)], settings);
            Assert.Contains(e.Problems, p => p.StartsWith("PLANT_MASTER_KEY" + ":", StringComparison.Ordinal));
            Assert.False(Directory.Exists(Path.Combine(localDir, "keys")));
        }
        finally
        {
            Directory.Delete(localDir, recursive: true);
        }
    }

    [Fact]
    public async Task The_master_key_may_come_from_a_mounted_secret_file()
    {
        var secret = Path.GetTempFileName();
        try
        {
            const string fromFile = "master-key-from-a-secret-file";
            File.WriteAllText(secret, fromFile + "\n");
            await using var host = await TestHost.StartAsync(database.ConnectionString, [typeof(KeyFunctions)],
                new Dictionary<string, string?> { ["PLANT_MASTER_KEY"] = null, ["PLANT_MASTER_KEY_FILE"] = secret });
            using var response = await host.Client.SendAsync(TestHost.Request(HttpMethod.Get, "/api/AdminOnly", fromFile));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Theory]
    [InlineData("PLANT_MASTER_KEY", "short")]
    [InlineData("PLANT_FUNCTION_KEYS", "long-enough-function-key,short")]
    public void A_short_key_fails_start_up_naming_its_setting_but_not_its_value(string setting, string value)
    {
        var e = StartupFailure.Of<StartupException>(database.ConnectionString, [typeof(KeyFunctions)],
            new Dictionary<string, string?> { [setting] = value });
        Assert.Contains(e.Problems, p => p.StartsWith(setting + ":", StringComparison.Ordinal));
        Assert.DoesNotContain("short", e.Message.Replace("shorter", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> LocalWithoutKeys(string localDir) => new()
    {
        ["PLANT_ENVIRONMENT"] = "local",
        ["K_SERVICE"] = null,
        ["PLANT_MASTER_KEY"] = null,
        ["PLANT_FUNCTION_KEYS"] = null,
        ["PLANT_LOCAL_DIR"] = localDir,
    };

    private static async Task AssertKeysWorkAsync(TestHost host, string master, string function)
    {
        foreach (var (path, key, status) in new[]
        {
            ("/api/Keyed", function, HttpStatusCode.OK),
            ("/api/Keyed", master, HttpStatusCode.OK),
            ("/api/AdminOnly", master, HttpStatusCode.OK),
            ("/api/AdminOnly", function, HttpStatusCode.Unauthorized),
            ("/api/Keyed", TestHost.FunctionKey, HttpStatusCode.Unauthorized),
            ("/api/AdminOnly", TestHost.MasterKey, HttpStatusCode.Unauthorized),
        })
        {
            using var response = await host.Client.SendAsync(TestHost.Request(HttpMethod.Get, path, key));
            Assert.Equal(status, response.StatusCode);
        }
    }
}

using Plant.Hosting;
using Plant.Testing.Hosting;
using Xunit;

namespace Plant.Genesis.Tests;

/// <summary>
/// Genesis refuses to start without a signing key it may use, naming the setting and showing no key material; and it
/// names every bad setting at once, the host's and its own.
/// </summary>
public sealed class StartupTests
{
    [Fact]
    public void Without_a_signing_key_outside_local_start_up_fails_naming_the_setting()
    {
        var folder = Directory.CreateTempSubdirectory("genesis-startup-").FullName;
        try
        {
            var error = Assert.Throws<StartupException>(() =>
                TestHost.Build("Host=127.0.0.1;Database=unused", GenesisApp.Definition, folder));

            Assert.Contains("PLANT_SIGNING_KEY", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_key_smaller_than_the_environment_requires_is_refused()
    {
        var folder = Directory.CreateTempSubdirectory("genesis-startup-").FullName;
        try
        {
            // uat requires 4096 bits unless PLANT_SIGNING_KEY_BITS says otherwise; the test key has 2048.
            var error = Assert.Throws<StartupException>(() => TestHost.Build("Host=127.0.0.1;Database=unused", GenesisApp.Definition, folder,
                settings: new Dictionary<string, string?> { ["PLANT_SIGNING_KEY"] = Plant.Testing.TestSigningKeys.Pem }));

            Assert.Contains("4096", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("PRIVATE KEY", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Every_missing_or_bad_setting_is_named_at_once()
    {
        var folder = Directory.CreateTempSubdirectory("genesis-startup-").FullName;
        try
        {
            var error = Assert.Throws<StartupException>(() => TestHost.Build("Host=127.0.0.1;Database=unused", GenesisApp.Definition, folder,
                settings: new Dictionary<string, string?>
                {
                    ["PORT"] = "eighty",
                    ["PLANT_TRIAL_DAYS"] = "forever",
                    ["PLANT_DB_POOL_SIZE"] = "0",
                    ["PLANT_EMBEDDER"] = "magic",
                }));

            // The signing key is checked once the settings it depends on (the environment's key size) are right.
            Assert.Equal(
                ["PLANT_DB_POOL_SIZE", "PLANT_EMBEDDER", "PLANT_TRIAL_DAYS", "PORT"],
                error.Problems.Select(p => p[..p.IndexOf(':', StringComparison.Ordinal)]).Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

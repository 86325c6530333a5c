using Plant.Core.Configuration;
using Plant.Testing.Hosting;
using Xunit;

namespace Plant.Genesis.Tests;

/// <summary>Genesis refuses to start without a signing key it may use, naming the setting and showing no key material.</summary>
public sealed class StartupTests
{
    [Fact]
    public void Without_a_signing_key_outside_local_start_up_fails_naming_the_setting()
    {
        var folder = Directory.CreateTempSubdirectory("genesis-startup-").FullName;
        try
        {
            var error = Assert.Throws<ConfigurationException>(() =>
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
            var error = Assert.Throws<ConfigurationException>(() => TestHost.Build("Host=127.0.0.1;Database=unused", GenesisApp.Definition, folder,
                settings: new Dictionary<string, string?> { ["PLANT_SIGNING_KEY"] = Plant.Testing.TestSigningKeys.Pem }));

            Assert.Contains("4096", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("PRIVATE KEY", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

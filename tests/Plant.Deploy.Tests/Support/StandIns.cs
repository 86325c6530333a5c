using System.Security.Cryptography;
using Plant.Agents;
using Plant.Genesis;
using Plant.Hosting;
using Plant.Migrate;

namespace Plant.Deploy.Tests.Support;

/// <summary>
/// What Secret Manager would hand a service: a value of the right shape for each secret a descriptor names, so that
/// the app checks it as it would the real one. The database is the test's own.
/// </summary>
internal static class StandIns
{
    /// <summary>The settings that hold secrets: a descriptor takes them from Secret Manager, never as a value.</summary>
    public static readonly string[] SecretSettings = ["DATABASE_URL", "PLANT_MASTER_KEY", "PLANT_FUNCTION_KEYS", "PLANT_SIGNING_KEY"];

    // Outside local, a signing key must have 4096 bits (PLANT_SIGNING_KEY_BITS); made once, it is the slow part.
    private static readonly Lazy<string> s_signingKey = new(() =>
    {
        using var key = RSA.Create(4096);
        return key.ExportPkcs8PrivateKeyPem();
    });

    public static FunctionApp App(string app) => app switch
    {
        "genesis" => GenesisApp.Definition,
        "agents" => AgentsApp.Definition,
        "migrate" => MigrateApp.Definition,
        _ => throw new ArgumentOutOfRangeException(nameof(app), app, "no such function app"),
    };

    /// <summary>A container's settings as the app would see them deployed: its values, and a stand-in for each secret.</summary>
    public static Dictionary<string, string?> Settings(ContainerDescriptor container, string connectionString)
    {
        var settings = container.Values.ToDictionary(p => p.Key, p => (string?)p.Value);
        foreach (var setting in container.Secrets.Keys)
        {
            settings[setting] = setting switch
            {
                "DATABASE_URL" => connectionString,
                "PLANT_MASTER_KEY" or "PLANT_FUNCTION_KEYS" => Convert.ToHexString(RandomNumberGenerator.GetBytes(24)),
                "PLANT_SIGNING_KEY" => s_signingKey.Value,
                _ => throw new InvalidOperationException($"No stand-in for the secret setting {setting}: add one here."),
            };
        }

        return settings;
    }
}

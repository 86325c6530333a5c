using System.Security.Cryptography;
using Plant.Core.Signing;

namespace Plant.Migrate.Tests.Support;

/// <summary>
/// One RSA key per test process: the Migrate app signs audit checkpoints (retention purge) and outside local it
/// needs <c>PLANT_SIGNING_KEY</c>. 2048 bits, allowed by <c>PLANT_SIGNING_KEY_BITS</c>, to keep generation fast.
/// </summary>
internal static class TestSigningKey
{
    private static readonly Lazy<string> s_pem = new(() =>
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKeyPem();
    });

    /// <summary>The settings that give a host this key.</summary>
    public static Dictionary<string, string?> Settings() => new()
    {
        [SigningKeyRing.PrivateKeySetting] = s_pem.Value,
        ["PLANT_SIGNING_KEY_BITS"] = "2048",
        ["PLANT_SIGNING_KEY_ID"] = "test-key",
    };

    /// <summary>A key ring holding this key, as the host would load it.</summary>
    public static SigningKeyRing Ring()
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(s_pem.Value);
        return SigningKeyRing.Create("test-key", rsa);
    }
}

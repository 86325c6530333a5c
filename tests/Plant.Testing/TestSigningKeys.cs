using System.Security.Cryptography;
using Plant.Core.Signing;

namespace Plant.Testing;

/// <summary>
/// RSA 2048 signing keys for tests, generated once per test process (key generation is the slow part). The PEM
/// goes into <c>PLANT_SIGNING_KEY</c> of a test host or child process; <see cref="Ring"/> gives a key ring of the
/// same key, so certificates signed by one verify in the other.
/// </summary>
public static class TestSigningKeys
{
    /// <summary>The key id tests give the shared key (<c>PLANT_SIGNING_KEY_ID</c>).</summary>
    public const string KeyId = "test-key";

    private static readonly Lazy<string> s_pem = new(() =>
    {
        using var key = RSA.Create(2048);
        return key.ExportPkcs8PrivateKeyPem();
    });

    /// <summary>The shared private key, PEM (PKCS#8).</summary>
    public static string Pem => s_pem.Value;

    /// <summary>The settings that make a host or process sign with the shared key: key, id, and 2048 bits allowed.</summary>
    public static IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["PLANT_SIGNING_KEY"] = Pem,
        ["PLANT_SIGNING_KEY_ID"] = KeyId,
        ["PLANT_SIGNING_KEY_BITS"] = "2048",
    };

    /// <summary>A key ring of the shared key (the caller owns and disposes it).</summary>
    public static SigningKeyRing Ring()
    {
        var key = RSA.Create();
        key.ImportFromPem(Pem);
        return SigningKeyRing.Create(KeyId, key);
    }

    /// <summary>A key ring of a key of its own, under <paramref name="keyId"/>: "another key" in tests.</summary>
    public static SigningKeyRing Other(string keyId) => SigningKeyRing.Create(keyId, RSA.Create(2048));
}

using System.Security.Cryptography;
using Plant.Core.Signing;

namespace Plant.Core.Tests.Signing;

/// <summary>RSA keys made once per test run: generating them is the slow part of these tests.</summary>
internal static class TestKeys
{
    private static readonly Lazy<RSA> s_first = new(() => RSA.Create(2048));
    private static readonly Lazy<RSA> s_second = new(() => RSA.Create(2048));

    public static string FirstPrivatePem => s_first.Value.ExportPkcs8PrivateKeyPem();

    public static string FirstPublicPem => s_first.Value.ExportSubjectPublicKeyInfoPem();

    public static string SecondPrivatePem => s_second.Value.ExportPkcs8PrivateKeyPem();

    public static string SecondPublicPem => s_second.Value.ExportSubjectPublicKeyInfoPem();

    /// <summary>A ring signing with the first key as "test-1", verifying the second's public key as "test-2".</summary>
    public static SigningKeyRing Ring(string keyId = "test-1") =>
        SigningKeyRing.Create(keyId, Import(FirstPrivatePem), [KeyValuePair.Create("test-2", Import(SecondPublicPem))]);

    public static RSA Import(string pem)
    {
        var key = RSA.Create();
        key.ImportFromPem(pem);
        return key;
    }
}

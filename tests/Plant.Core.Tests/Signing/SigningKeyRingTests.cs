using System.Text;
using Microsoft.Extensions.Configuration;
using Plant.Core.Configuration;
using Plant.Core.Signing;
using Plant.Hosting;

namespace Plant.Core.Tests.Signing;

public sealed class SigningKeyRingTests
{
    private static readonly byte[] s_data = "{\"entityId\":\"x\",\"version\":1}"u8.ToArray();

    [Fact]
    public void A_configured_key_signs_with_RSA_PSS_and_its_signature_verifies()
    {
        using var ring = Load(("PLANT_ENVIRONMENT", "uat"), ("PLANT_RETENTION_DAYS", "30"), ("PLANT_SIGNING_KEY_BITS", "2048"),
            ("PLANT_SIGNING_KEY", TestKeys.FirstPrivatePem), ("PLANT_SIGNING_KEY_ID", "uat-2026-01"));

        var signature = ring.Sign(s_data);

        Assert.Equal("uat-2026-01", signature.KeyId);
        Assert.Equal(256, Convert.FromBase64String(signature.Value).Length);
        Assert.Equal(SignatureCheck.Valid, ring.Verify(s_data, signature));
        // PSS is randomised: two signatures of the same bytes differ and both verify.
        Assert.NotEqual(signature.Value, ring.Sign(s_data).Value);
    }

    [Fact]
    public void Altered_data_another_key_id_and_garbage_do_not_verify()
    {
        using var ring = TestKeys.Ring();
        var signature = ring.Sign(s_data);

        Assert.Equal(SignatureCheck.Invalid, ring.Verify("{\"entityId\":\"x\",\"version\":2}"u8, signature));
        Assert.Equal(SignatureCheck.UnknownKey, ring.Verify(s_data, signature with { KeyId = "elsewhere" }));
        Assert.Equal(SignatureCheck.Invalid, ring.Verify(s_data, signature with { KeyId = "test-2" }));
        Assert.Equal(SignatureCheck.Invalid, ring.Verify(s_data, signature with { Value = "not base64!" }));
        Assert.Equal(SignatureCheck.Invalid, ring.Verify(s_data, signature with { Value = Convert.ToBase64String(new byte[256]) }));
    }

    [Fact]
    public void After_rotation_the_old_keys_signatures_still_verify_through_its_public_key()
    {
        using var before = SigningKeyRing.Create("2025", TestKeys.Import(TestKeys.SecondPrivatePem));
        var old = before.Sign(s_data);

        using var after = Load(("PLANT_SIGNING_KEY", TestKeys.FirstPrivatePem), ("PLANT_SIGNING_KEY_ID", "2026"),
            ("PLANT_SIGNING_PUBLIC_KEYS", $"2025={TestKeys.SecondPublicPem}"));

        Assert.Equal(SignatureCheck.Valid, after.Verify(s_data, old));
        Assert.Equal("2026", after.Sign(s_data).KeyId);
        Assert.Equal(["2025", "2026"], after.KeyIds);
        Assert.Equal(TestKeys.SecondPublicPem, after.ExportPublicKeyPem("2025"));
    }

    [Fact]
    public void Public_keys_come_as_keyId_equals_PEM_entries_also_with_escaped_newlines_and_from_a_file()
    {
        var entries = $"old-1={TestKeys.SecondPublicPem}\n\nold-2 = {TestKeys.SecondPublicPem.Replace("\n", "\\n", StringComparison.Ordinal)}";
        using var fromText = Load(("PLANT_SIGNING_KEY", TestKeys.FirstPrivatePem), ("PLANT_SIGNING_PUBLIC_KEYS", entries));
        Assert.Equal(3, fromText.KeyIds.Count);

        using var folder = new TemporaryFolder();
        var file = Path.Combine(folder.Path, "public.keys");
        File.WriteAllText(file, entries);
        using var fromFile = Load(("PLANT_SIGNING_KEY", TestKeys.FirstPrivatePem), ("PLANT_SIGNING_PUBLIC_KEYS_FILE", file));
        Assert.Contains("old-2", fromFile.KeyIds);
    }

    [Theory]
    [InlineData("x={first}x={first}", "appears twice")]
    [InlineData("x={private}", "private key")]
    [InlineData("junk x={first}", "other text")]
    [InlineData("x={first} trailing", "after entry 1")]
    [InlineData("x=-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", "not an RSA public key")]
    [InlineData("bad/id={first}", "not a key id")]
    public void A_malformed_public_key_list_stops_start_up_naming_the_setting(string entries, string problem)
    {
        entries = entries.Replace("{first}", TestKeys.SecondPublicPem, StringComparison.Ordinal)
            .Replace("{private}", TestKeys.SecondPrivatePem, StringComparison.Ordinal);

        var error = Assert.Throws<ConfigurationException>(() => Load(("PLANT_SIGNING_KEY", TestKeys.FirstPrivatePem), ("PLANT_SIGNING_PUBLIC_KEYS", entries)));

        Assert.Equal("PLANT_SIGNING_PUBLIC_KEYS", error.Setting);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("uat")]
    [InlineData("prod")]
    public void Outside_local_a_missing_key_stops_start_up_naming_PLANT_SIGNING_KEY(string environment)
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(("PLANT_ENVIRONMENT", environment), ("PLANT_RETENTION_DAYS", "30")));

        Assert.Equal("PLANT_SIGNING_KEY", error.Setting);
        Assert.Contains("PLANT_SIGNING_KEY_FILE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_smaller_than_the_environment_requires_is_refused()
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(
            ("PLANT_ENVIRONMENT", "prod"), ("PLANT_RETENTION_DAYS", "30"), ("PLANT_SIGNING_KEY", TestKeys.FirstPrivatePem)));

        Assert.Equal("PLANT_SIGNING_KEY", error.Setting);
        Assert.Contains("2048 bits and prod requires at least 4096", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_that_is_not_a_private_key_is_refused_without_echoing_it()
    {
        var secretLooking = "-----BEGIN PRIVATE KEY-----\nU0VDUkVULU1BVEVSSUFMLTEyMzQ1\n-----END PRIVATE KEY-----";

        var garbage = Assert.Throws<ConfigurationException>(() => Load(("PLANT_SIGNING_KEY", secretLooking)));
        var publicOnly = Assert.Throws<ConfigurationException>(() => Load(("PLANT_SIGNING_KEY", TestKeys.FirstPublicPem)));

        Assert.Equal("PLANT_SIGNING_KEY", garbage.Setting);
        Assert.DoesNotContain("U0VDUkVU", garbage.ToString(), StringComparison.Ordinal);
        Assert.Contains("holds a public key", publicOnly.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_private_key_appears_nowhere_in_ToString()
    {
        using var ring = TestKeys.Ring();
        var body = string.Concat(TestKeys.FirstPrivatePem.Split('\n').Where(line => !line.StartsWith("-----", StringComparison.Ordinal)));

        var text = ring.ToString();

        Assert.Equal("SigningKeyRing { ActiveKeyId = test-1, Bits = 2048, KeyIds = [test-1, test-2] }", text);
        Assert.DoesNotContain(body[40..80], text, StringComparison.Ordinal);
    }

    [Fact]
    public void Locally_a_key_is_generated_once_owner_only_and_reused()
    {
        using var folder = new TemporaryFolder();
        var local = ("PLANT_LOCAL_DIR", folder.Path);

        string firstId;
        using (var first = Load(local))
        {
            firstId = first.ActiveKeyId;
            Assert.Equal(2048, first.ActiveKeyBits);
        }

        using var second = Load(local);
        var file = Path.Combine(folder.Path, "keys", "signing.pem");

        Assert.Equal(firstId, second.ActiveKeyId);
        Assert.Matches("^k-[0-9a-f]{16}$", firstId);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(file)!));
        }

        Assert.Equal(SignatureCheck.Valid, second.Verify(s_data, Load(local).Sign(s_data)));
    }

    [Fact]
    public void A_local_run_in_a_container_does_not_generate_a_key()
    {
        using var folder = new TemporaryFolder();

        var error = Assert.Throws<ConfigurationException>(() => Load(("PLANT_LOCAL_DIR", folder.Path), ("K_SERVICE", "genesis")));

        Assert.Equal("PLANT_SIGNING_KEY", error.Setting);
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "keys")));
    }

    [Fact]
    public void A_malformed_key_id_is_refused_by_the_settings()
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(("PLANT_SIGNING_KEY", TestKeys.FirstPrivatePem), ("PLANT_SIGNING_KEY_ID", "no spaces")));

        Assert.Equal("PLANT_SIGNING_KEY_ID", error.Setting);
    }

    [Fact]
    public void The_key_may_come_from_a_mounted_file()
    {
        using var folder = new TemporaryFolder();
        var file = Path.Combine(folder.Path, "signing.pem");
        File.WriteAllText(file, TestKeys.FirstPrivatePem + "\n");

        using var ring = Load(("PLANT_SIGNING_KEY_FILE", file));

        Assert.Equal(SigningKeyRing.Fingerprint(TestKeys.Import(TestKeys.FirstPublicPem)), ring.ActiveKeyId);
    }

    private static SigningKeyRing Load(params (string Key, string? Value)[] values)
    {
        // As the host gives settings to the apps: a NAME_FILE already read into NAME.
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, v.Value)));
        SecretFiles.AddTo(configuration);
        // A local run would otherwise write into the test's working folder.
        if (configuration["PLANT_LOCAL_DIR"] is null)
        {
            configuration["PLANT_LOCAL_DIR"] = Path.Combine(Path.GetTempPath(), "plant-signing-tests-unused");
        }

        return SigningKeyRing.Load(configuration, PlantSettings.Load(configuration));
    }

    private sealed class TemporaryFolder : IDisposable
    {
        public TemporaryFolder()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "plant-signing-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Plant.Core.Configuration;

namespace Plant.Core.Signing;

/// <summary>
/// The keys that sign and verify certificates, audit heads and checkpoints: one active RSA private key, which
/// signs, and any number of public keys that still verify (keys retired by rotation). RSA-PSS with SHA-256 and a
/// 32-byte salt. Immutable and safe to share between threads; register one per process.
/// </summary>
/// <remarks>
/// Settings (docs/ENVIRONMENTS.md): <c>PLANT_SIGNING_KEY</c> or <c>PLANT_SIGNING_KEY_FILE</c> (PEM, PKCS#8 or
/// PKCS#1, unencrypted), <c>PLANT_SIGNING_KEY_ID</c>, <c>PLANT_SIGNING_PUBLIC_KEYS</c> or
/// <c>PLANT_SIGNING_PUBLIC_KEYS_FILE</c> (entries <c>keyId=PEM</c>), <c>PLANT_SIGNING_KEY_BITS</c>. Locally, without
/// a key, one is generated once into <c>PLANT_LOCAL_DIR/keys/signing.pem</c>. The private key is never exposed:
/// not by a property, not by <see cref="ToString"/>, not in an exception message.
/// </remarks>
public sealed partial class SigningKeyRing : IDisposable
{
    /// <summary>The active private key, PEM text.</summary>
    public const string PrivateKeySetting = "PLANT_SIGNING_KEY";

    /// <summary>Public keys that verify but do not sign: <c>keyId=PEM</c> entries, one after the other.</summary>
    public const string PublicKeysSetting = "PLANT_SIGNING_PUBLIC_KEYS";

    /// <summary>Where a local run keeps its generated key, under <see cref="PlantSettings.LocalDirectory"/>.</summary>
    public const string LocalKeyPath = "keys/signing.pem";

    private static readonly RSASignaturePadding s_padding = RSASignaturePadding.Pss;

    private readonly RSA _signingKey;
    private readonly Dictionary<string, RSA> _verifyKeys;

    private SigningKeyRing(string activeKeyId, RSA signingKey, Dictionary<string, RSA> verifyKeys)
    {
        ActiveKeyId = activeKeyId;
        _signingKey = signingKey;
        _verifyKeys = verifyKeys;
        _verifyKeys[activeKeyId] = signingKey;
    }

    /// <summary>The id of the key that signs.</summary>
    public string ActiveKeyId { get; }

    /// <summary>The size of the signing key in bits.</summary>
    public int ActiveKeyBits => _signingKey.KeySize;

    /// <summary>Every key id that verifies, the active one included, in ordinal order.</summary>
    public IReadOnlyList<string> KeyIds => [.. _verifyKeys.Keys.Order(StringComparer.Ordinal)];

    /// <summary>
    /// Loads the keys from the settings. In <c>local</c> (outside a container) without <c>PLANT_SIGNING_KEY</c>,
    /// generates a key of <see cref="PlantSettings.SigningKeyBits"/> once into
    /// <c>PLANT_LOCAL_DIR/keys/signing.pem</c> (owner-only) and reuses it on later starts.
    /// </summary>
    /// <exception cref="ConfigurationException">
    /// The key is missing (outside local), unreadable, not RSA, smaller than <c>PLANT_SIGNING_KEY_BITS</c>, or a
    /// public key entry or key id is malformed. The message names the setting and never contains key material.
    /// </exception>
    public static SigningKeyRing Load(IConfiguration configuration, PlantSettings settings)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(settings);
        var pem = configuration[PrivateKeySetting] is { Length: > 0 } text ? text : null;
        RSA signingKey;
        if (pem is not null)
        {
            signingKey = ImportPrivateKey(pem);
        }
        else if (settings.Environment == PlantEnvironment.Local && string.IsNullOrEmpty(configuration["K_SERVICE"]))
        {
            // Same rule as the function keys: generated only for a run on a developer's machine, never in a
            // container, where each instance would sign with a key of its own.
            signingKey = LocalSigningKey.ReadOrCreate(ProjectFolder.Resolve(Path.Combine(settings.LocalDirectory, LocalKeyPath)), settings.SigningKeyBits);
        }
        else
        {
            throw new ConfigurationException(
                PrivateKeySetting,
                $"is not set. Set {PrivateKeySetting} (PEM text) or {PrivateKeySetting}_FILE (a mounted PEM file); a key is generated only for local runs.");
        }

        try
        {
            if (signingKey.KeySize < settings.SigningKeyBits)
            {
                throw new ConfigurationException(
                    pem is null ? PlantSettings.LocalDirectorySetting : PrivateKeySetting,
                    $"the signing key has {signingKey.KeySize} bits and {settings.Environment.ToString().ToLowerInvariant()} requires at least {settings.SigningKeyBits} ({PlantSettings.SigningKeyBitsSetting})"
                    + (pem is null ? $"; delete {LocalKeyPath} there and a new key is generated." : "."));
            }

            var keyId = settings.SigningKeyId ?? Fingerprint(signingKey);
            SigningKeyIds.Check(PlantSettings.SigningKeyIdSetting, keyId);
            var verifyKeys = ReadPublicKeys(configuration[PublicKeysSetting]);
            if (verifyKeys.ContainsKey(keyId))
            {
                DisposeAll(verifyKeys.Values);
                throw new ConfigurationException(PublicKeysSetting, $"has an entry for '{keyId}', the id of the active signing key; give each key its own id.");
            }

            return new SigningKeyRing(keyId, signingKey, verifyKeys);
        }
        catch
        {
            signingKey.Dispose();
            throw;
        }
    }

    /// <summary>A key ring from keys in hand (tests, tools). It takes ownership of every key.</summary>
    /// <exception cref="ArgumentException">An id is malformed or used twice, or a verify key carries a private part.</exception>
    public static SigningKeyRing Create(string activeKeyId, RSA signingKey, IEnumerable<KeyValuePair<string, RSA>>? verifyKeys = null)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        if (!SigningKeyIds.IsValid(activeKeyId))
        {
            throw new ArgumentException($"'{activeKeyId}' is not a key id: 1 to 64 of A-Z a-z 0-9 . _ : -, starting with a letter or digit.", nameof(activeKeyId));
        }

        var keys = new Dictionary<string, RSA>(StringComparer.Ordinal);
        foreach (var (id, key) in verifyKeys ?? [])
        {
            if (!SigningKeyIds.IsValid(id) || id == activeKeyId || !keys.TryAdd(id, PublicOnly(key)))
            {
                throw new ArgumentException($"The verify key id '{id}' is malformed or used twice.", nameof(verifyKeys));
            }
        }

        return new SigningKeyRing(activeKeyId!, signingKey, keys);
    }

    /// <summary>Signs <paramref name="data"/> with the active key.</summary>
    public Signature Sign(ReadOnlySpan<byte> data)
    {
        var signature = _signingKey.SignData(data, HashAlgorithmName.SHA256, s_padding);
        return new Signature(ActiveKeyId, Convert.ToBase64String(signature));
    }

    /// <summary>Checks that <paramref name="signature"/> was made over <paramref name="data"/> by the key it names.</summary>
    public SignatureCheck Verify(ReadOnlySpan<byte> data, Signature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (!_verifyKeys.TryGetValue(signature.KeyId, out var key))
        {
            return SignatureCheck.UnknownKey;
        }

        var bytes = new byte[key.KeySize / 8];
        return Convert.TryFromBase64String(signature.Value, bytes, out var length)
            && length == bytes.Length
            && key.VerifyData(data, bytes, HashAlgorithmName.SHA256, s_padding)
                ? SignatureCheck.Valid
                : SignatureCheck.Invalid;
    }

    /// <summary>The public key of <paramref name="keyId"/> as PEM (SubjectPublicKeyInfo), for publishing.</summary>
    /// <exception cref="KeyNotFoundException">No key has that id.</exception>
    public string ExportPublicKeyPem(string keyId) =>
        _verifyKeys.TryGetValue(keyId, out var key)
            ? key.ExportSubjectPublicKeyInfoPem()
            : throw new KeyNotFoundException($"No signing key has the id '{keyId}'.");

    /// <summary>Key ids and sizes only.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"SigningKeyRing {{ ActiveKeyId = {ActiveKeyId}, Bits = {ActiveKeyBits}, KeyIds = [{string.Join(", ", KeyIds)}] }}");

    public void Dispose() => DisposeAll(_verifyKeys.Values);

    /// <summary>The id a key gets when <c>PLANT_SIGNING_KEY_ID</c> is not set: "k-" and 16 hex digits of the SHA-256 of its public key.</summary>
    internal static string Fingerprint(RSA key) =>
        "k-" + Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];

    private static RSA ImportPrivateKey(string pem)
    {
        var key = RSA.Create();
        try
        {
            key.ImportFromPem(Unescape(pem));
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            // The exception's own message is not passed on: only our words, never the text that was set.
            throw new ConfigurationException(PrivateKeySetting, "is not an unencrypted RSA private key in PEM form (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----).");
        }

        if (IsPublicOnly(key))
        {
            key.Dispose();
            throw new ConfigurationException(PrivateKeySetting, "holds a public key; the signing key must be the private key.");
        }

        return key;
    }

    private static Dictionary<string, RSA> ReadPublicKeys(string? text)
    {
        var keys = new Dictionary<string, RSA>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(text))
        {
            return keys;
        }

        try
        {
            text = Unescape(text);
            var position = 0;
            var entry = 0;
            foreach (Match match in PublicKeyEntry().Matches(text))
            {
                entry++;
                if (!string.IsNullOrWhiteSpace(text[position..match.Index].Replace(',', ' ')))
                {
                    throw new ConfigurationException(PublicKeysSetting, $"entry {entry}: expected keyId=-----BEGIN PUBLIC KEY-----...; found other text before it.");
                }

                position = match.Index + match.Length;
                var id = match.Groups["id"].Value;
                SigningKeyIds.Check(PublicKeysSetting, id);
                if (match.Groups["label"].Value.Contains("PRIVATE", StringComparison.Ordinal))
                {
                    throw new ConfigurationException(PublicKeysSetting, $"the entry for '{id}' is a private key; give only its public key (openssl pkey -pubout).");
                }

                var key = RSA.Create();
                try
                {
                    key.ImportFromPem(match.Groups["pem"].Value);
                }
                catch (Exception e) when (e is ArgumentException or CryptographicException)
                {
                    key.Dispose();
                    throw new ConfigurationException(PublicKeysSetting, $"the entry for '{id}' is not an RSA public key in PEM form.");
                }

                if (key.KeySize < PlantSettings.MinimumSigningKeyBits)
                {
                    key.Dispose();
                    throw new ConfigurationException(PublicKeysSetting, $"the key '{id}' has {key.KeySize} bits; at least {PlantSettings.MinimumSigningKeyBits} are required.");
                }

                if (!keys.TryAdd(id, key))
                {
                    key.Dispose();
                    throw new ConfigurationException(PublicKeysSetting, $"the key id '{id}' appears twice.");
                }
            }

            if (!string.IsNullOrWhiteSpace(text[position..].Replace(',', ' ')))
            {
                throw new ConfigurationException(PublicKeysSetting, $"cannot read the text after entry {entry}; expected keyId=-----BEGIN PUBLIC KEY-----... entries.");
            }

            return keys;
        }
        catch
        {
            DisposeAll(keys.Values);
            throw;
        }
    }

    /// <summary>Environment variables often carry PEM with literal \n instead of line breaks.</summary>
    private static string Unescape(string pem) => pem.Contains("\\n", StringComparison.Ordinal) ? pem.Replace("\\n", "\n", StringComparison.Ordinal) : pem;

    private static bool IsPublicOnly(RSA key)
    {
        try
        {
            key.ExportParameters(includePrivateParameters: true);
            return false;
        }
        catch (CryptographicException)
        {
            return true;
        }
    }

    private static RSA PublicOnly(RSA key)
    {
        if (!IsPublicOnly(key))
        {
            throw new ArgumentException("A verify key must be a public key.", nameof(key));
        }

        return key;
    }

    private static void DisposeAll(IEnumerable<RSA> keys)
    {
        foreach (var key in keys)
        {
            key.Dispose();
        }
    }

    [GeneratedRegex(@"(?<id>[^\s=,]+)\s*=\s*(?<pem>-----BEGIN (?<label>[A-Z ]+)-----[\s\S]*?-----END \k<label>-----)")]
    private static partial Regex PublicKeyEntry();
}

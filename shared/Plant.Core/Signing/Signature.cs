namespace Plant.Core.Signing;

/// <summary>An RSA-PSS (SHA-256) signature and the id of the key that made it.</summary>
/// <param name="KeyId">The signing key's id; <see cref="SigningKeyRing.Verify"/> finds the public key by it.</param>
/// <param name="Value">The signature bytes, base64 (RFC 4648, padded).</param>
public sealed record Signature(string KeyId, string Value);

/// <summary>The outcome of checking a signature.</summary>
public enum SignatureCheck
{
    /// <summary>The signature was made over these bytes by the named key.</summary>
    Valid,

    /// <summary>The key ring has no key with that id (say, another environment's key, or one dropped after rotation).</summary>
    UnknownKey,

    /// <summary>The key is known but the signature does not match these bytes (or is not base64).</summary>
    Invalid,
}

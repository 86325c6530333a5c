using System.Text.RegularExpressions;

namespace Plant.Core.Configuration;

/// <summary>
/// What a signing key's id may be (<c>PLANT_SIGNING_KEY_ID</c>, the ids in <c>PLANT_SIGNING_PUBLIC_KEYS</c>): 1 to
/// 64 of <c>A-Z a-z 0-9 . _ : -</c>, starting with a letter or digit. It is written beside every signature.
/// </summary>
public static partial class SigningKeyIds
{
    public static bool IsValid(string? keyId) => KeyIdPattern().IsMatch(keyId ?? "");

    /// <exception cref="ConfigurationException"><paramref name="keyId"/> is not a key id; the message names <paramref name="setting"/>.</exception>
    public static void Check(string setting, string keyId)
    {
        if (!IsValid(keyId))
        {
            throw new ConfigurationException(setting, $"'{keyId}' is not a key id: 1 to 64 of A-Z a-z 0-9 . _ : -, starting with a letter or digit.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")]
    private static partial Regex KeyIdPattern();
}

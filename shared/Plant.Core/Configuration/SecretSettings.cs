using Microsoft.Extensions.Configuration;

namespace Plant.Core.Configuration;

/// <summary>
/// Reads a secret from <c>NAME</c> or from the file named by <c>NAME_FILE</c> (a mounted secret, as Cloud Run
/// and Kubernetes provide them). The value never appears in an exception message.
/// </summary>
public static class SecretSettings
{
    /// <summary>The secret's value, or null when neither form is set.</summary>
    /// <exception cref="ConfigurationException">Both forms are set, or the file cannot be read.</exception>
    public static string? Read(IConfiguration configuration, string name)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[name];
        var fileSetting = name + "_FILE";
        var file = configuration[fileSetting];
        if (!string.IsNullOrEmpty(value) && !string.IsNullOrEmpty(file))
        {
            throw new ConfigurationException(name, $"both {name} and {fileSetting} are set; set only one.");
        }

        if (string.IsNullOrEmpty(file))
        {
            return string.IsNullOrEmpty(value) ? null : value;
        }

        try
        {
            // Secret files usually end with a newline that is not part of the secret.
            var text = File.ReadAllText(file).Trim();
            return text.Length == 0 ? throw new ConfigurationException(fileSetting, $"the file '{file}' is empty.") : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException(fileSetting, $"cannot read the file '{file}': {e.GetType().Name}.");
        }
    }
}

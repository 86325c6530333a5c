namespace Plant.Core.Configuration;

/// <summary>
/// A setting is missing or wrong. The message names the setting and never contains a secret value, so
/// start-up can print it as it is.
/// </summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string setting, string problem)
        : base($"{setting}: {problem}") => Setting = setting;

    /// <summary>The name of the setting at fault.</summary>
    public string Setting { get; }
}

namespace Plant.Core.Configuration;

/// <summary>
/// Settings are missing or wrong. The message names each setting at fault, one per line, and never contains a
/// secret value, so start-up can print it as it is.
/// </summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string setting, string problem)
        : base($"{setting}: {problem}") => Setting = setting;

    private ConfigurationException(IReadOnlyList<ConfigurationException> problems)
        : base(string.Join(Environment.NewLine, problems.Select(p => p.Message))) => Setting = problems[0].Setting;

    /// <summary>The name of the (first) setting at fault.</summary>
    public string Setting { get; }

    /// <summary>One exception naming every problem; the first problem's setting is <see cref="Setting"/>.</summary>
    public static ConfigurationException Combine(IReadOnlyList<ConfigurationException> problems)
    {
        ArgumentOutOfRangeException.ThrowIfZero(problems.Count);
        return problems.Count == 1 ? problems[0] : new ConfigurationException(problems);
    }
}

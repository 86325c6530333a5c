namespace Plant.Core.Configuration;

/// <summary>
/// Gathers the problems of settings read one after another, so that start-up names every bad or missing setting at
/// once instead of one per attempt.
/// </summary>
public sealed class SettingsProblems
{
    private readonly List<ConfigurationException> _problems = [];

    /// <summary>The value <paramref name="read"/> gives, or <paramref name="fallback"/> when it finds the setting wrong.</summary>
    public T Read<T>(Func<T> read, T fallback)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            return read();
        }
        catch (ConfigurationException e)
        {
            _problems.Add(e);
            return fallback;
        }
    }

    public void Add(ConfigurationException problem) => _problems.Add(problem);

    /// <exception cref="ConfigurationException">Every problem gathered, each naming its setting.</exception>
    public void ThrowIfAny()
    {
        if (_problems.Count > 0)
        {
            throw ConfigurationException.Combine(_problems);
        }
    }
}

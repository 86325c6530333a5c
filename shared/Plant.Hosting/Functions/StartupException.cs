namespace Plant.Hosting;

/// <summary>
/// Plant cannot start: settings are missing or wrong, or a function is defined wrongly. The message names each
/// problem's setting or function, one problem per line, and never holds a secret's value.
/// </summary>
public sealed class StartupException : Exception
{
    public StartupException(string message)
        : base(message) => Problems = [message];

    public StartupException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems)) => Problems = problems;

    /// <summary>Every problem found, each naming what is at fault.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>A setting that is missing or wrong: <c>SETTING: problem</c>.</summary>
    internal static StartupException Setting(string setting, string problem) => new($"{setting}: {problem}");
}

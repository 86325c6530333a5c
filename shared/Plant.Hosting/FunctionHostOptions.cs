using Microsoft.Extensions.Logging;

namespace Plant.Hosting;

/// <summary>What <see cref="FunctionHost.Build"/> needs; everything but the apps has a default.</summary>
public sealed class FunctionHostOptions
{
    public required IReadOnlyList<FunctionApp> Apps { get; init; }

    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Settings that win over environment variables (tests use this instead of the process environment).</summary>
    public IReadOnlyDictionary<string, string?>? Settings { get; init; }

    /// <summary>Where local.settings.json is looked for; defaults to the current directory, as with <c>func start</c>.</summary>
    public string? ContentRoot { get; init; }

    /// <summary>Defaults to host.json beside the executable.</summary>
    public string? HostJsonPath { get; init; }

    /// <summary>Extra logging set-up, after the host's own (tests capture log lines with it).</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }
}

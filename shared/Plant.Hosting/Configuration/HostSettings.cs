using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Plant.Hosting;

/// <summary>
/// Every setting the host reads, read and checked in this one place; the apps read and check their own
/// (docs/SETTINGS.md lists them all). Every bad setting is reported, not just the first.
/// </summary>
internal sealed record HostSettings
{
    public const string EnvironmentSetting = "PLANT_ENVIRONMENT";
    public const string LogFormatSetting = "PLANT_LOG_FORMAT";
    public const string LocalDirectorySetting = "PLANT_LOCAL_DIR";

    /// <summary>The deployment environment's name (<c>PLANT_ENVIRONMENT</c>, <c>local</c> when unset); the apps check its value.</summary>
    public required string Environment { get; init; }

    /// <summary>A developer's machine: keys may be generated, and logs are text by default.</summary>
    public bool IsLocal => IsLocalName(Environment);

    /// <summary>Cloud Run and Cloud Functions set <c>K_SERVICE</c>; it is how the host knows it is in a container.</summary>
    public required bool InContainer { get; init; }

    public required int Port { get; init; }

    public required string BindAddress { get; init; }

    /// <summary>Null: serve every function.</summary>
    public required IReadOnlyList<string>? FunctionTarget { get; init; }

    public required bool TimersInProcess { get; init; }

    /// <summary>Requests per minute per key; 0 is off.</summary>
    public required int RateLimitPerMinute { get; init; }

    public required long MaxRequestBodyBytes { get; init; }

    public required TimeSpan ShutdownTimeout { get; init; }

    public required bool JsonLogs { get; init; }

    /// <summary>The git-ignored folder where local runs keep generated keys; absolute (<see cref="ProjectFolder"/>).</summary>
    public required string LocalDirectory { get; init; }

    public required HostJson HostJson { get; init; }

    /// <summary>Whether <c>/docs</c> and <c>/openapi/{app}.json</c> are served (<c>PLANT_API_DOCS</c>; by default only a local run outside a container).</summary>
    public required bool ApiDocs { get; init; }

    public string RoutePrefix => HostJson.RoutePrefix;

    public TimeSpan? FunctionTimeout => HostJson.FunctionTimeout;

    /// <summary>The host's settings; a problem with any of them is added to <paramref name="problems"/>, and its default used.</summary>
    public static HostSettings Read(IConfiguration configuration, string hostJsonPath, List<string> problems)
    {
        var environment = ReadEnvironment(configuration);
        var inContainer = !string.IsNullOrEmpty(configuration["K_SERVICE"]);
        var target = configuration["FUNCTION_TARGET"];
        var hostJson = HostJson.Default;
        try
        {
            hostJson = HostJson.Load(hostJsonPath);
        }
        catch (StartupException e)
        {
            problems.Add(e.Message);
        }

        return new HostSettings
        {
            Environment = environment,
            InContainer = inContainer,
            Port = ReadInt(configuration, "PORT", inContainer ? 8080 : 7071, 0, 65535, problems),
            BindAddress = inContainer ? "0.0.0.0" : "127.0.0.1",
            FunctionTarget = string.IsNullOrWhiteSpace(target)
                ? null
                : [.. target.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            TimersInProcess = ReadBool(configuration, "PLANT_TIMERS_IN_PROCESS", !inContainer, problems),
            RateLimitPerMinute = ReadInt(configuration, "PLANT_RATE_LIMIT_PER_MINUTE",
                environment.Equals("prod", StringComparison.OrdinalIgnoreCase) ? 600 : 0, 0, 1_000_000, problems),
            MaxRequestBodyBytes = ReadInt(configuration, "PLANT_MAX_REQUEST_BODY_BYTES", 1024 * 1024, 1, int.MaxValue, problems),
            // Cloud Run allows 10 s between SIGTERM and SIGKILL.
            ShutdownTimeout = TimeSpan.FromSeconds(ReadInt(configuration, "PLANT_SHUTDOWN_TIMEOUT_SECONDS", 9, 0, 3600, problems)),
            // Cloud Logging wants JSON; a developer's terminal, text.
            JsonLogs = ReadLogFormat(configuration, IsLocalName(environment) && !inContainer, problems),
            // Relative to the checkout (or the executable's folder), never the current directory: docs/SETTINGS.md.
            LocalDirectory = ProjectFolder.Resolve(configuration[LocalDirectorySetting] is { Length: > 0 } folder ? folder.Trim() : ".plant"),
            HostJson = hostJson,
            ApiDocs = ReadBool(configuration, OpenApi.ApiDocs.Setting, IsLocalName(environment) && !inContainer, problems),
        };
    }

    /// <summary><c>PLANT_ENVIRONMENT</c>, <c>local</c> when unset.</summary>
    public static string ReadEnvironment(IConfiguration configuration) =>
        configuration[EnvironmentSetting] is { Length: > 0 } named && named.Trim().Length > 0 ? named.Trim() : "local";

    public static bool IsLocalName(string environment) => environment.Equals("local", StringComparison.OrdinalIgnoreCase);

    private static int ReadInt(IConfiguration configuration, string name, int fallback, int min, int max, List<string> problems)
    {
        var value = configuration[name];
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
        {
            return number;
        }

        problems.Add($"{name}: '{value}' is not a whole number between {min} and {max}.");
        return fallback;
    }

    private static bool ReadBool(IConfiguration configuration, string name, bool fallback, List<string> problems)
    {
        var value = configuration[name];
        switch (value?.Trim().ToUpperInvariant())
        {
            case null or "":
                return fallback;
            case "TRUE" or "1" or "YES":
                return true;
            case "FALSE" or "0" or "NO":
                return false;
            default:
                problems.Add($"{name}: '{value}' is not true or false.");
                return fallback;
        }
    }

    /// <summary>Whether logs are JSON lines: <c>PLANT_LOG_FORMAT</c>, else text only for a local run outside a container.</summary>
    private static bool ReadLogFormat(IConfiguration configuration, bool textByDefault, List<string> problems)
    {
        var value = configuration[LogFormatSetting];
        switch (value?.Trim().ToUpperInvariant())
        {
            case null or "":
                return !textByDefault;
            case "JSON":
                return true;
            case "TEXT":
                return false;
            default:
                problems.Add($"{LogFormatSetting}: '{value}' is not json or text.");
                return !textByDefault;
        }
    }
}

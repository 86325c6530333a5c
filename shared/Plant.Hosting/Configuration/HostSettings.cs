using System.Globalization;
using Microsoft.Extensions.Configuration;
using Plant.Core.Configuration;

namespace Plant.Hosting;

/// <summary>
/// Every setting the host reads, read and validated in this one place. docs/SETTINGS.md lists them.
/// </summary>
internal sealed record HostSettings
{
    /// <summary>The environment's settings (issue 3's table), validated with the host's own.</summary>
    public required PlantSettings Plant { get; init; }

    public PlantEnvironment Environment => Plant.Environment;

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

    /// <summary>The git-ignored folder where local runs keep generated keys.</summary>
    public required string LocalDirectory { get; init; }

    public required HostJson HostJson { get; init; }

    public string RoutePrefix => HostJson.RoutePrefix;

    public TimeSpan? FunctionTimeout => HostJson.FunctionTimeout;

    public static HostSettings Read(IConfiguration configuration, string hostJsonPath)
    {
        var plant = PlantSettings.Load(configuration);
        var environment = plant.Environment;
        var inContainer = !string.IsNullOrEmpty(configuration["K_SERVICE"]);
        var target = configuration["FUNCTION_TARGET"];
        return new HostSettings
        {
            Plant = plant,
            InContainer = inContainer,
            Port = ReadInt(configuration, "PORT", inContainer ? 8080 : 7071, 0, 65535),
            BindAddress = inContainer ? "0.0.0.0" : "127.0.0.1",
            FunctionTarget = string.IsNullOrWhiteSpace(target)
                ? null
                : [.. target.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            TimersInProcess = ReadBool(configuration, "PLANT_TIMERS_IN_PROCESS", !inContainer),
            RateLimitPerMinute = ReadInt(configuration, "PLANT_RATE_LIMIT_PER_MINUTE", environment == PlantEnvironment.Prod ? 600 : 0, 0, 1_000_000),
            MaxRequestBodyBytes = ReadInt(configuration, "PLANT_MAX_REQUEST_BODY_BYTES", 1024 * 1024, 1, int.MaxValue),
            // Cloud Run allows 10 s between SIGTERM and SIGKILL.
            ShutdownTimeout = TimeSpan.FromSeconds(ReadInt(configuration, "PLANT_SHUTDOWN_TIMEOUT_SECONDS", 9, 0, 3600)),
            // In a container Cloud Logging wants JSON unless PLANT_LOG_FORMAT says otherwise.
            JsonLogs = plant.LogFormat == LogFormat.Json || inContainer && string.IsNullOrWhiteSpace(configuration[PlantSettings.LogFormatSetting]),
            LocalDirectory = Path.GetFullPath(plant.LocalDirectory),
            HostJson = HostJson.Load(hostJsonPath),
        };
    }

    private static int ReadInt(IConfiguration configuration, string name, int fallback, int min, int max)
    {
        var value = configuration[name];
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new ConfigurationException(name, $"'{value}' is not a whole number between {min} and {max}.");
    }

    private static bool ReadBool(IConfiguration configuration, string name, bool fallback)
    {
        var value = configuration[name];
        return value?.Trim().ToUpperInvariant() switch
        {
            null or "" => fallback,
            "TRUE" or "1" or "YES" => true,
            "FALSE" or "0" or "NO" => false,
            _ => throw new ConfigurationException(name, $"'{value}' is not true or false."),
        };
    }
}

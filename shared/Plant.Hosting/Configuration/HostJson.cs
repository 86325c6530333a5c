using System.Globalization;
using System.Text.Json;
using Plant.Core.Configuration;

namespace Plant.Hosting;

/// <summary>The parts of host.json (Azure Functions v2 schema) that Plant uses.</summary>
internal sealed record HostJson(string RoutePrefix, TimeSpan? FunctionTimeout, IReadOnlyDictionary<string, string> LogLevels)
{
    public static readonly HostJson Default = new("api", TimeSpan.FromMinutes(5), new Dictionary<string, string>());

    public static HostJson Load(string path)
    {
        if (!File.Exists(path))
        {
            return Default;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return Parse(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new ConfigurationException("host.json", $"is not valid JSON: {e.Message}");
        }
    }

    internal static HostJson Parse(JsonElement root)
    {
        var prefix = Default.RoutePrefix;
        if (root.TryGetProperty("extensions", out var extensions) && extensions.TryGetProperty("http", out var http)
            && http.TryGetProperty("routePrefix", out var routePrefix))
        {
            prefix = routePrefix.ValueKind == JsonValueKind.String
                ? routePrefix.GetString()!.Trim('/')
                : throw new ConfigurationException("host.json extensions.http.routePrefix", "must be a string.");
        }

        if (prefix.Equals("admin", StringComparison.OrdinalIgnoreCase) || prefix.StartsWith("admin/", StringComparison.OrdinalIgnoreCase))
        {
            throw new ConfigurationException("host.json extensions.http.routePrefix", "'admin' is reserved for the host's admin routes.");
        }

        var timeout = Default.FunctionTimeout;
        if (root.TryGetProperty("functionTimeout", out var functionTimeout))
        {
            timeout = ParseTimeout(functionTimeout);
        }

        var levels = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (root.TryGetProperty("logging", out var logging) && logging.TryGetProperty("logLevel", out var logLevel))
        {
            foreach (var level in logLevel.EnumerateObject())
            {
                var value = level.Value.GetString() ?? "";
                if (!Enum.TryParse<Microsoft.Extensions.Logging.LogLevel>(value, ignoreCase: true, out _))
                {
                    throw new ConfigurationException($"host.json logging.logLevel.{level.Name}", $"'{value}' is not a log level (Trace, Debug, Information, Warning, Error, Critical, None).");
                }

                levels[level.Name] = value;
            }
        }

        return new HostJson(prefix, timeout, levels);
    }

    private static TimeSpan? ParseTimeout(JsonElement value)
    {
        // "-1" means no limit, as in Azure Functions.
        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : value.ToString();
        if (text is "-1" or null)
        {
            return null;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var timeout) && timeout > TimeSpan.Zero
            ? timeout
            : throw new ConfigurationException("host.json functionTimeout", $"'{text}' is not a positive hh:mm:ss duration or -1.");
    }
}

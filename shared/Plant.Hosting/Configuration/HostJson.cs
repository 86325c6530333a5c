using System.Globalization;
using System.Text.Json;

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
            throw StartupException.Setting("host.json", $"is not valid JSON: {e.Message}");
        }
    }

    internal static HostJson Parse(JsonElement root)
    {
        // A value of the wrong kind is named like a wrong value, rather than escaping as JsonElement's InvalidOperationException.
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw StartupException.Setting("host.json", "must be a JSON object.");
        }

        var prefix = Default.RoutePrefix;
        if (TryGetObject(root, "extensions", "host.json extensions", out var extensions)
            && TryGetObject(extensions, "http", "host.json extensions.http", out var http)
            && http.TryGetProperty("routePrefix", out var routePrefix))
        {
            prefix = routePrefix.ValueKind == JsonValueKind.String
                ? routePrefix.GetString()!.Trim('/')
                : throw StartupException.Setting("host.json extensions.http.routePrefix", "must be a string.");
        }

        if (prefix.Equals("admin", StringComparison.OrdinalIgnoreCase) || prefix.StartsWith("admin/", StringComparison.OrdinalIgnoreCase))
        {
            throw StartupException.Setting("host.json extensions.http.routePrefix", "'admin' is reserved for the host's admin routes.");
        }

        var timeout = Default.FunctionTimeout;
        if (root.TryGetProperty("functionTimeout", out var functionTimeout))
        {
            timeout = ParseTimeout(functionTimeout);
        }

        var levels = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (TryGetObject(root, "logging", "host.json logging", out var logging)
            && TryGetObject(logging, "logLevel", "host.json logging.logLevel", out var logLevel))
        {
            foreach (var level in logLevel.EnumerateObject())
            {
                var value = level.Value.ValueKind == JsonValueKind.String ? level.Value.GetString()! : level.Value.GetRawText();
                if (level.Value.ValueKind != JsonValueKind.String || !Enum.TryParse<Microsoft.Extensions.Logging.LogLevel>(value, ignoreCase: true, out _))
                {
                    throw StartupException.Setting($"host.json logging.logLevel.{level.Name}", $"'{value}' is not a log level (Trace, Debug, Information, Warning, Error, Critical, None).");
                }

                levels[level.Name] = value;
            }
        }

        return new HostJson(prefix, timeout, levels);
    }

    private static bool TryGetObject(JsonElement parent, string name, string setting, out JsonElement value) =>
        parent.TryGetProperty(name, out value)
        && (value.ValueKind == JsonValueKind.Object ? true : throw StartupException.Setting(setting, "must be a JSON object."));

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
            : throw StartupException.Setting("host.json functionTimeout", $"'{text}' is not a positive hh:mm:ss duration or -1.");
    }
}

using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace Plant.Hosting;

/// <summary>
/// Reads <c>local.settings.json</c>'s <c>Values</c> as settings when the file exists, as <c>func start</c> does.
/// Like there, the process environment wins over the file.
/// </summary>
internal static class LocalSettings
{
    public const string FileName = "local.settings.json";

    public static void AddTo(ConfigurationManager configuration, string folder, IReadOnlyDictionary<string, string?>? overrides)
    {
        var path = Path.Combine(folder, FileName);
        if (File.Exists(path))
        {
            configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Read(path) });
        }

        if (overrides is not null)
        {
            configuration.AddInMemoryCollection(overrides);
        }
    }

    private static Dictionary<string, string?> Read(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (!document.RootElement.TryGetProperty("Values", out var values) || values.ValueKind != JsonValueKind.Object)
            {
                return [];
            }

            return values.EnumerateObject().ToDictionary(p => p.Name, p => (string?)(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.ToString()));
        }
        catch (JsonException e)
        {
            throw StartupException.Setting(FileName, $"is not valid JSON: {e.Message}");
        }
    }
}

using System.Text.Json;

namespace Plant.Genesis.Tests.Support;

/// <summary>Reading response bodies.</summary>
public static class Json
{
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>The rule ids of a violations array.</summary>
    public static string[] RuleIds(JsonElement violations) =>
        [.. violations.EnumerateArray().Select(v => v.GetProperty("ruleId").GetString()!)];
}

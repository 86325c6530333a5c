using System.Net;
using System.Text.Json;
using Plant.Hosting;
using Xunit;

namespace Plant.Testing.Hosting;

/// <summary>Asserts that a response is an RFC 9457 problem of the expected status and type.</summary>
public static class Problem
{
    public const string MediaType = "application/problem+json";

    /// <summary>Checks status, media type, <c>type</c> and <c>status</c>; returns the body for further checks.</summary>
    public static async Task<JsonElement> AssertAsync(HttpResponseMessage response, HttpStatusCode status, string slug)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal(MediaType, response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(text);
        var body = document.RootElement.Clone();
        Assert.Equal(Problems.TypePrefix + slug, body.GetProperty("type").GetString());
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        return body;
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Plant.Hosting.Http;

/// <summary>
/// The key a request presents, resolved once per request (the rate limiter and the function both need it).
/// </summary>
internal static class KeyIdentity
{
    private static readonly object s_itemKey = new();

    /// <summary>"master", "function-N", or null for no valid key.</summary>
    public static string? Get(HttpContext http)
    {
        if (http.Items.TryGetValue(s_itemKey, out var cached))
        {
            return (string?)cached;
        }

        var identity = http.RequestServices.GetRequiredService<FunctionKeys>().Identify(http.Request);
        http.Items[s_itemKey] = identity;
        return identity;
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Plant.Hosting;

/// <summary>
/// The conditional request headers (RFC 9110 section 13), read as typed headers: <c>If-Match</c> guards a write,
/// <c>If-None-Match</c> lets a read answer 304. A header that is present but holds no entity tag is a 400 naming it.
/// </summary>
public static class Preconditions
{
    /// <summary>The entity tags of <c>If-Match</c>; null when the header is absent. <c>*</c> is <see cref="EntityTagHeaderValue.Any"/>.</summary>
    public static IList<EntityTagHeaderValue>? IfMatch(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Read(request, HeaderNames.IfMatch);
    }

    /// <summary>
    /// Whether <c>If-None-Match</c> names <paramref name="current"/> (weak comparison, as RFC 9110 asks for GET) or
    /// is <c>*</c>: the client's copy is current, and the answer is 304.
    /// </summary>
    public static bool IsNotModified(HttpRequest request, EntityTagHeaderValue current)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Read(request, HeaderNames.IfNoneMatch) is { } tags
            && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));
    }

    private static IList<EntityTagHeaderValue>? Read(HttpRequest request, string header)
    {
        var values = request.Headers[header];
        if (values.Count == 0)
        {
            return null;
        }

        return EntityTagHeaderValue.TryParseStrictList(values, out var tags) && tags.Count > 0
            ? tags
            : throw new BadInputException(header, $"{header} must hold entity tags such as \"1\" or W/\"1\", or *.");
    }
}

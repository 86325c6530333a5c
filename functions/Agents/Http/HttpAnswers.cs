using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Plant.Core.Agents;
using Plant.Hosting;

namespace Plant.Agents.Http;

/// <summary>The answers the Agents functions share: JSON with ETags, 304, and problems that name the parameter.</summary>
internal static class HttpAnswers
{
    /// <summary>Changes when the JSON shape of an answer changes, so that a new deployment does not answer 304 to an old shape.</summary>
    private const string RepresentationVersion = "agents-api-1";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Runs a function body and turns bad input into a 400 problem naming the parameter (with a <c>parameter</c>
    /// member, for clients); the body itself maps its other outcomes.
    /// </summary>
    public static async Task<IResult> GuardAsync(Func<Task<IResult>> body)
    {
        try
        {
            return await body();
        }
        catch (BadInputException e)
        {
            return BadRequest(e.Parameter, e.Message);
        }
        catch (QueryParameterException e)
        {
            return BadRequest(e.Parameter, e.Message);
        }
    }

    public static IResult BadRequest(string parameter, string detail) =>
        Problems.Result(StatusCodes.Status400BadRequest, Problems.BadRequest, "Bad request", detail, new Dictionary<string, object?> { ["parameter"] = parameter });

    public static IResult NotFound(string what) =>
        Problems.Result(StatusCodes.Status404NotFound, Problems.NotFound, "Not found", what);

    /// <summary>
    /// The ETag of a catalog answer: the catalog change marker and the request (path and query, without the key),
    /// so that it changes exactly when the catalog does, and can be checked before running the query.
    /// </summary>
    public static string CatalogETag(HttpRequest request, long catalogVersion) =>
        ETag($"{RepresentationVersion}|{catalogVersion}|{request.Path}|{CanonicalQuery(request)}");

    /// <summary>The ETag of an answer that does not follow the catalog (a trial): a hash of what it says.</summary>
    public static string ContentETag(object value) => ETag($"{RepresentationVersion}|{JsonSerializer.Serialize(value, s_json)}");

    /// <summary>Whether If-None-Match names <paramref name="etag"/> (weak comparison, <c>*</c> included).</summary>
    public static bool NotModified(HttpRequest request, string etag)
    {
        foreach (var header in request.Headers.IfNoneMatch)
        {
            foreach (var tag in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (tag == "*" || (tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag) == etag)
                {
                    return true;
                }
            }
        }

        return false;
    }

    public static bool HasIfNoneMatch(HttpRequest request) => request.Headers.IfNoneMatch.Count > 0;

    /// <summary>304 with the ETag, or 200 with the JSON body and the ETag.</summary>
    public static IResult Json(HttpRequest request, object body, string etag, int status = StatusCodes.Status200OK)
    {
        var headers = request.HttpContext.Response.Headers;
        headers.ETag = etag;
        // Cached answers must be revalidated (cheap: a 304 costs one indexed read), and only by the caller.
        headers.CacheControl = "private, no-cache";
        return status == StatusCodes.Status200OK && NotModified(request, etag)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Json(body, s_json, statusCode: status);
    }

    /// <summary>A 304 for a request whose If-None-Match is still current.</summary>
    public static IResult NotModifiedResult(HttpRequest request, string etag)
    {
        request.HttpContext.Response.Headers.ETag = etag;
        request.HttpContext.Response.Headers.CacheControl = "private, no-cache";
        return TypedResults.StatusCode(StatusCodes.Status304NotModified);
    }

    private static string ETag(string text) =>
        "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 12)) + "\"";

    private static string CanonicalQuery(HttpRequest request) =>
        string.Join('&', request.Query
            .Where(p => !p.Key.Equals("code", StringComparison.OrdinalIgnoreCase))
            .OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase)
            .Select(p => p.Key.ToUpperInvariant() + "=" + string.Join(',', p.Value.Select(v => Uri.EscapeDataString(v ?? "")))));
}

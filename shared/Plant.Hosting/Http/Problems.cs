using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Plant.Hosting;

/// <summary>
/// The one way every error leaves Plant: RFC 9457 <c>application/problem+json</c> with a stable <c>type</c>
/// (<c>urn:plant:problem:{slug}</c>; docs/PROBLEMS.md lists them) that clients may switch on.
/// </summary>
public static class Problems
{
    /// <summary>Every problem type starts with this.</summary>
    public const string TypePrefix = "urn:plant:problem:";

    public const string BadRequest = "bad-request";
    public const string MalformedJson = "malformed-json";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not-found";
    public const string MethodNotAllowed = "method-not-allowed";
    public const string PayloadTooLarge = "payload-too-large";
    public const string UnsupportedMediaType = "unsupported-media-type";
    public const string TooManyRequests = "too-many-requests";
    public const string Conflict = "conflict";
    public const string InternalError = "internal-error";
    public const string Unavailable = "unavailable";
    public const string NotMigrated = "database-not-migrated";
    public const string FunctionTimeout = "function-timeout";

    /// <summary>A problem response for a function to return.</summary>
    public static ProblemHttpResult Result(int status, string slug, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: TypePrefix + slug, extensions: extensions);

    /// <summary>400 <c>bad-request</c> naming the query parameter, route value, header or body member at fault, as <see cref="BadInputException"/> does.</summary>
    public static ProblemHttpResult BadInput(string? parameter, string detail) =>
        Result(StatusCodes.Status400BadRequest, BadRequest, "Bad request", detail, ParameterMember(parameter));

    /// <summary>503 <c>unavailable</c> with <c>Retry-After</c>: a part the request needs cannot answer now (a model loading or failed, a model service down).</summary>
    public static ProblemHttpResult UnavailableResult(HttpResponse response, string detail, int retryAfterSeconds = 5)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Result(StatusCodes.Status503ServiceUnavailable, Unavailable, "Unavailable", detail);
    }

    /// <summary>404 <c>not-found</c>: what the request names does not exist; <paramref name="detail"/> says what was looked for.</summary>
    public static ProblemHttpResult NotFoundResult(string detail) => Result(StatusCodes.Status404NotFound, NotFound, "Not found", detail);

    /// <summary>Writes a problem straight to the response; the request path (never the query) is the instance.</summary>
    public static Task WriteAsync(HttpContext http, int status, string slug, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        var result = TypedResults.Problem(
            detail: detail,
            instance: http.Request.Path.Value,
            statusCode: status,
            title: title,
            type: TypePrefix + slug,
            extensions: extensions);
        return result.ExecuteAsync(http);
    }

    /// <summary>The <c>parameter</c> member of a problem about one input; none when the request as a whole is at fault.</summary>
    public static Dictionary<string, object?>? ParameterMember(string? parameter) =>
        parameter is null ? null : new() { ["parameter"] = parameter };

    /// <summary>
    /// The title and slug for a bare status code, so that an empty 404 or 405 from routing, or a bodiless
    /// <c>Results.NotFound()</c> or <c>Results.Conflict()</c> from a function, becomes a proper problem.
    /// </summary>
    internal static (string Slug, string Title, string Detail) ForStatus(int status, HttpRequest request) => status switch
    {
        StatusCodes.Status400BadRequest => (BadRequest, "Bad request", "The request is malformed."),
        StatusCodes.Status401Unauthorized => (Unauthorized, "Unauthorized", "A valid key is required in the x-functions-key header or the code query parameter."),
        StatusCodes.Status403Forbidden => (Forbidden, "Forbidden", "The request is not allowed."),
        // With an endpoint, a function answered 404 itself: what it looked for is missing, not the function.
        StatusCodes.Status404NotFound => request.HttpContext.GetEndpoint() is null
            ? (NotFound, "Not found", $"No function answers {request.Method} {request.Path}.")
            : (NotFound, "Not found", $"Nothing was found at {request.Path}."),
        StatusCodes.Status405MethodNotAllowed => (MethodNotAllowed, "Method not allowed", $"{request.Path} does not accept {request.Method}."),
        StatusCodes.Status409Conflict => (Conflict, "Conflict", "The request conflicts with the current state."),
        StatusCodes.Status413PayloadTooLarge => (PayloadTooLarge, "Payload too large", "The request body is larger than the host accepts."),
        StatusCodes.Status415UnsupportedMediaType => (UnsupportedMediaType, "Unsupported media type", "The request's Content-Type is not accepted here."),
        StatusCodes.Status429TooManyRequests => (TooManyRequests, "Too many requests", "The rate limit for this key is exhausted; retry later."),
        StatusCodes.Status500InternalServerError => (InternalError, "Internal error", "The request failed."),
        StatusCodes.Status503ServiceUnavailable => (Unavailable, "Unavailable", "The service cannot answer now; retry later."),
        _ => ("http-" + status, "HTTP " + status, "The request failed with status " + status + "."),
    };
}

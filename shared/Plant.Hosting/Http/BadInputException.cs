using Microsoft.AspNetCore.Http;

namespace Plant.Hosting;

/// <summary>
/// The client sent something wrong: a query parameter, route value, header or body member. A function throws it
/// (or a reader of this host throws it for the function), and the host answers a 4xx problem whose <c>detail</c> is
/// the message and whose <c>parameter</c> member names what is at fault, as the client spells it.
/// </summary>
public sealed class BadInputException : Exception
{
    /// <summary>A 400 <c>bad-request</c> naming <paramref name="parameter"/>.</summary>
    public BadInputException(string? parameter, string detail)
        : this(StatusCodes.Status400BadRequest, Problems.BadRequest, "Bad request", parameter, detail)
    {
    }

    private BadInputException(int status, string problemType, string title, string? parameter, string detail)
        : base(detail)
    {
        Status = status;
        ProblemType = problemType;
        Title = title;
        Parameter = parameter;
    }

    /// <summary>The query parameter, route value, header or body member at fault; null when it is the request as a whole.</summary>
    public string? Parameter { get; }

    /// <summary>A 4xx status: 400 unless the body's media type (415) or size (413) is at fault.</summary>
    public int Status { get; }

    /// <summary>The problem type's slug (<see cref="Problems"/>).</summary>
    public string ProblemType { get; }

    /// <summary>The problem's title.</summary>
    public string Title { get; }

    /// <summary>A 400 <c>malformed-json</c>: the body is not JSON of the expected shape; <paramref name="member"/> names where.</summary>
    public static BadInputException MalformedJson(string? member, string detail) =>
        new(StatusCodes.Status400BadRequest, Problems.MalformedJson, "Malformed JSON", member, detail);

    /// <summary>A 403 <c>forbidden</c> about one input: the caller may not send it.</summary>
    public static BadInputException Forbidden(string parameter, string detail) =>
        new(StatusCodes.Status403Forbidden, Problems.Forbidden, "Forbidden", parameter, detail);

    /// <summary>A 415: the body is not UTF-8 JSON.</summary>
    public static BadInputException UnsupportedMediaType(string detail) =>
        new(StatusCodes.Status415UnsupportedMediaType, Problems.UnsupportedMediaType, "Unsupported media type", null, detail);

    /// <summary>Kestrel's own verdict on a request (a body over the limit is 413), as a problem.</summary>
    internal static BadInputException FromStatus(int status, HttpRequest request)
    {
        var (slug, title, detail) = Problems.ForStatus(status, request);
        return new BadInputException(status, slug, title, null, detail);
    }

    /// <summary>A value shortened for an error message, so that a huge input does not come back in full.</summary>
    public static string Shorten(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length <= 64 ? value : value[..64] + "...";
    }
}

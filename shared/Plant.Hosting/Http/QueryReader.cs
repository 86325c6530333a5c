using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Plant.Hosting;

/// <summary>
/// Reads a request's query string strictly: a parameter the route does not know, a single-valued parameter given
/// twice, an empty value or a malformed one is a <see cref="BadInputException"/> naming the parameter. A typo in a
/// filter name must not silently widen a query.
/// </summary>
public sealed class QueryReader
{
    private readonly IQueryCollection _query;

    private QueryReader(IQueryCollection query) => _query = query;

    /// <summary>
    /// Checks that every parameter present is one the function declares (<see cref="QueryParameterAttribute"/>,
    /// <see cref="PagedAttribute"/>: what its OpenAPI document lists); the function key's <c>code</c> is never a query parameter.
    /// </summary>
    public static QueryReader For(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return For(request, request.HttpContext.GetEndpoint()?.Metadata.GetMetadata<DeclaredQuery>()?.Names ?? []);
    }

    /// <summary>Checks that every parameter present is one of <paramref name="allowed"/> (names are case-insensitive).</summary>
    internal static QueryReader For(HttpRequest request, params string[] allowed)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(allowed);
        foreach (var (name, _) in request.Query)
        {
            if (!name.Equals(Http.FunctionKeys.QueryParameter, StringComparison.OrdinalIgnoreCase) && !allowed.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                var expected = allowed.Length == 0 ? "this route takes no query parameters" : "known: " + string.Join(", ", allowed);
                throw new BadInputException(name, $"Unknown query parameter '{BadInputException.Shorten(name)}' ({expected}).");
            }
        }

        return new QueryReader(request.Query);
    }

    /// <summary>
    /// The query string in one spelling for one meaning (names in upper case and sorted, values escaped, without the
    /// key), for what must change exactly when the query does: an ETag, a cursor's fingerprint.
    /// </summary>
    public static string Canonical(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return string.Join('&', request.Query
            .Where(p => !p.Key.Equals(Http.FunctionKeys.QueryParameter, StringComparison.OrdinalIgnoreCase))
            .OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase)
            .Select(p => p.Key.ToUpperInvariant() + "=" + string.Join(',', p.Value.Select(v => Uri.EscapeDataString(v ?? "")))));
    }

    /// <summary>The one value of a parameter, or null when it is absent.</summary>
    public string? Single(string name)
    {
        if (!_query.TryGetValue(name, out var values))
        {
            return null;
        }

        if (values.Count > 1)
        {
            throw new BadInputException(name, $"{name} is given {values.Count} times; give it once.");
        }

        return Clean(name, values[0]);
    }

    /// <summary>Every value of a repeatable parameter (<c>?skill=a&amp;skill=b</c>).</summary>
    public IReadOnlyList<string> Many(string name) =>
        _query.TryGetValue(name, out var values) ? [.. values.Select(v => Clean(name, v))] : [];

    public Guid? Guid(string name) => Single(name) is { } value ? ParseGuid(name, value) : null;

    public IReadOnlyList<Guid> Guids(string name) => [.. Many(name).Select(v => ParseGuid(name, v))];

    /// <summary>A whole number in range; <paramref name="fallback"/> when absent.</summary>
    public int Int(string name, int minimum, int maximum, int fallback)
    {
        if (Single(name) is not { } value)
        {
            return fallback;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= minimum && number <= maximum
            ? number
            : throw new BadInputException(name, $"{name} must be a whole number from {minimum} to {maximum}; got '{BadInputException.Shorten(value)}'.");
    }

    public bool? Bool(string name) => Single(name) switch
    {
        null => null,
        "true" => true,
        "false" => false,
        var other => throw new BadInputException(name, $"{name} must be true or false; got '{BadInputException.Shorten(other)}'."),
    };

    /// <summary>One of <paramref name="choices"/> (exact spelling); null when absent.</summary>
    public T? Choice<T>(string name, IReadOnlyDictionary<string, T> choices)
        where T : struct
    {
        if (Single(name) is not { } value)
        {
            return null;
        }

        return choices.TryGetValue(value, out var choice)
            ? choice
            : throw new BadInputException(name, $"{name} must be one of {string.Join(", ", choices.Keys)}; got '{BadInputException.Shorten(value)}'.");
    }

    /// <summary>The paging parameters (<see cref="Paging"/>): <c>limit</c> from 1 to <paramref name="maximumLimit"/>, and <c>cursor</c>.</summary>
    public PageRequest Page(int defaultLimit, int maximumLimit) =>
        new(Int(Paging.Limit, 1, maximumLimit, defaultLimit), Single(Paging.Cursor));

    /// <summary>Free text: trimmed, 1 to <paramref name="maximumLength"/> characters; null when absent.</summary>
    public string? Text(string name, int maximumLength)
    {
        if (Single(name) is not { } value)
        {
            return null;
        }

        var text = value.Trim();
        if (text.Length == 0)
        {
            throw new BadInputException(name, $"{name} is blank.");
        }

        return text.Length <= maximumLength
            ? text
            : throw new BadInputException(name, $"{name} is {text.Length} characters long; at most {maximumLength} are allowed.");
    }

    private static Guid ParseGuid(string name, string value) =>
        System.Guid.TryParse(value, out var id) ? id : throw new BadInputException(name, $"{name} must be a uuid; got '{BadInputException.Shorten(value)}'.");

    private static string Clean(string name, StringValues values) => Clean(name, values.ToString());

    private static string Clean(string name, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new BadInputException(name, $"{name} is empty.");
        }

        // PostgreSQL text cannot hold NUL, and a lone surrogate cannot be encoded: both would fail in the database.
        return TextInput.IsStorable(value) ? value : throw new BadInputException(name, $"{name} contains a character that is not allowed.");
    }
}

/// <summary>The query parameters a function declares, kept in its endpoint's metadata when the host maps it.</summary>
internal sealed record DeclaredQuery(string[] Names)
{
    public static DeclaredQuery Of(System.Reflection.MethodInfo method) => new([.. method
        .GetCustomAttributes(typeof(ApiParametersAttribute), inherit: false).Cast<ApiParametersAttribute>()
        .SelectMany(a => a.Parameters).Where(p => p.In == ParameterLocation.Query).Select(p => p.Name)]);
}

namespace Plant.Hosting;

/// <summary>Where a parameter a function reads itself comes from.</summary>
public enum ParameterLocation
{
    Query,
    Header,
    Path,
}

/// <summary>
/// A parameter a function reads from the request itself, described once for both the OpenAPI document and
/// <see cref="QueryReader.For(Microsoft.AspNetCore.Http.HttpRequest)"/>, which admits exactly the query parameters
/// declared here. A subclass may describe a group that several functions share (<see cref="PagedAttribute"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public abstract class ApiParametersAttribute : Attribute
{
    public abstract IEnumerable<ApiParameter> Parameters { get; }
}

/// <summary>
/// One parameter as the OpenAPI document shows it: <c>Type</c> is string, int, bool or Guid; a <c>Repeatable</c> one
/// is given any number of times (<c>?skill=a&amp;skill=b</c>); <c>Values</c>, when set, are the only ones accepted.
/// </summary>
public sealed record ApiParameter(
    string Name,
    ParameterLocation In,
    string Description,
    Type Type,
    bool Required = false,
    bool Repeatable = false,
    IReadOnlyList<string>? Values = null,
    double? Minimum = null,
    double? Maximum = null,
    int? MaxLength = null,
    int? Default = null);

/// <summary>A query parameter, a request header or a path value a function reads; unset numbers mean no bound.</summary>
public abstract class ApiParameterAttribute(string name, ParameterLocation location, string description) : ApiParametersAttribute
{
    public Type Type { get; init; } = typeof(string);

    public bool Required { get; init; }

    public bool Repeatable { get; init; }

    public string[]? Values { get; init; }

    public double Minimum { get; init; } = double.NaN;

    public double Maximum { get; init; } = double.NaN;

    public int MaxLength { get; init; }

    public override IEnumerable<ApiParameter> Parameters =>
    [
        new(name, location, description, Type, Required || location == ParameterLocation.Path, Repeatable, Values,
            double.IsNaN(Minimum) ? null : Minimum, double.IsNaN(Maximum) ? null : Maximum, MaxLength > 0 ? MaxLength : null),
    ];
}

/// <summary>A query parameter the function reads through <see cref="QueryReader"/>.</summary>
public sealed class QueryParameterAttribute(string name, string description) : ApiParameterAttribute(name, ParameterLocation.Query, description);

/// <summary>A request header the function reads.</summary>
public sealed class HeaderParameterAttribute(string name, string description) : ApiParameterAttribute(name, ParameterLocation.Header, description);

/// <summary>What a route value means, and the values it takes when the route's constraint does not say.</summary>
public sealed class PathParameterAttribute(string name, string description) : ApiParameterAttribute(name, ParameterLocation.Path, description);

/// <summary>The paging parameters of a list route (<see cref="Paging"/>), read with <see cref="QueryReader.Page"/>.</summary>
public sealed class PagedAttribute(int defaultLimit, int maximumLimit) : ApiParametersAttribute
{
    public override IEnumerable<ApiParameter> Parameters =>
    [
        new(Paging.Limit, ParameterLocation.Query, "Items per page.", typeof(int), Minimum: 1, Maximum: maximumLimit, Default: defaultLimit),
        new(Paging.Cursor, ParameterLocation.Query, "The previous page's nextCursor; absent for the first page. Opaque and signed: only valid with the same query.", typeof(string)),
    ];
}

/// <summary>
/// A problem the function answers itself, beyond those the host answers for every function (bad input, keys, not
/// found, rate limit, outages): its status and <c>type</c> slug (<see cref="Problems.TypePrefix"/> + slug).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ProblemTypeAttribute(int status, string slug, string when) : Attribute
{
    public int Status => status;

    public string Slug => slug;

    /// <summary>When the function answers it.</summary>
    public string When => when;
}

/// <summary>
/// The JSON body a function reads itself (through <see cref="JsonBody"/>) rather than as a parameter, for its OpenAPI
/// document; with several types, the body is one of them, the one the function picks (by its route, say).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class JsonRequestBodyAttribute(params Type[] types) : Attribute
{
    public IReadOnlyList<Type> Types => types;

    /// <summary>False when the function takes an empty body too.</summary>
    public bool Required { get; init; } = true;
}

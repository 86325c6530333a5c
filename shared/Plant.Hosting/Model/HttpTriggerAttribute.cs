namespace Plant.Hosting;

/// <summary>
/// Binds an <see cref="Microsoft.AspNetCore.Http.HttpRequest"/> parameter and makes the function answer HTTP at
/// <c>{routePrefix}/{Route ?? name}</c>. No methods means every method.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class HttpTriggerAttribute(AuthorizationLevel authLevel, params string[] methods) : Attribute
{
    public HttpTriggerAttribute(params string[] methods)
        : this(AuthorizationLevel.Function, methods)
    {
    }

    public AuthorizationLevel AuthLevel { get; } = authLevel;

    public IReadOnlyList<string> Methods { get; } = methods;

    /// <summary>An ASP.NET Core route template, constraints included (<c>agents/{id:guid}</c>).</summary>
    public string? Route { get; set; }
}

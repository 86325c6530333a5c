using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Plant.Hosting;

/// <summary>
/// A read's answer that honours <c>If-None-Match</c>: 200 with the value as JSON, or 304 without a body when the
/// client's copy is current; both carry the ETag, and <c>Cache-Control: private, no-cache</c> (a cached copy is
/// revalidated every time, and only by the caller).
/// </summary>
public sealed class Conditional<T> : IResult, IEndpointMetadataProvider
{
    private readonly T? _value;
    private readonly bool _hasValue;

    internal Conditional(T? value, bool hasValue, EntityTagHeaderValue etag)
    {
        _value = value;
        _hasValue = hasValue;
        ETag = etag;
    }

    /// <summary>The answer's entity tag.</summary>
    public EntityTagHeaderValue ETag { get; }

    /// <summary>304 for a request already known to be current (checked before the value was read).</summary>
    public static Conditional<T> NotModified(EntityTagHeaderValue etag) => new(default, hasValue: false, etag);

    /// <summary>What the OpenAPI document shows: 200 with a <typeparamref name="T"/>, or 304.</summary>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status304NotModified));
    }

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.GetTypedHeaders().ETag = ETag;
        httpContext.Response.Headers.CacheControl = "private, no-cache";
        if (!_hasValue || Preconditions.IsNotModified(httpContext.Request, ETag))
        {
            httpContext.Response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        return TypedResults.Ok(_value).ExecuteAsync(httpContext);
    }
}

/// <summary>Makes <see cref="Conditional{T}"/> answers.</summary>
public static class Conditional
{
    /// <summary>200 with <paramref name="value"/> and <paramref name="etag"/>, or 304 when If-None-Match names the tag.</summary>
    public static Conditional<T> Ok<T>(T value, EntityTagHeaderValue etag) => new(value, hasValue: true, etag);
}

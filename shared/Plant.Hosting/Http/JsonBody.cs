using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Plant.Hosting;

/// <summary>
/// The one reader of JSON request bodies, for the host's body parameter and for functions that read a body
/// themselves. It is strict: the body must be UTF-8 JSON (<c>Content-Type: application/json</c>, no other charset,
/// no invalid byte), an object or array as the type asks, never <c>null</c>; a member may appear once; a number is
/// a JSON number and a string a JSON string; unknown members and missing required ones are refused. Every refusal
/// is a <see cref="BadInputException"/> (400 <c>malformed-json</c>, or 415) naming the member at fault.
/// </summary>
public static class JsonBody
{
    private static readonly ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> s_strict = new();

    private static readonly JsonDocumentOptions s_document = new() { AllowDuplicateProperties = false };

    /// <summary>
    /// The host's JSON options: web names (camelCase), with the apps' source-generated metadata before the host's
    /// (<see cref="FunctionApp.Json"/>). What answers are written with, and, made strict, what bodies are read with.
    /// </summary>
    public static JsonSerializerOptions HostOptions(IServiceProvider? services) =>
        services?.GetService<IOptions<JsonOptions>>()?.Value.SerializerOptions ?? s_webDefaults;

    /// <summary>Without a host's services (a bare request): the web defaults with the host's own metadata only.</summary>
    private static readonly JsonSerializerOptions s_webDefaults = Http.HostJsonContext.OptionsFor([]);

    /// <summary>The body as <typeparamref name="T"/>, read with the host's options; a missing body is a 400.</summary>
    public static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (T)(await ReadAsync(request, typeof(T), HostOptions(request.HttpContext.RequestServices), ct))!;
    }

    /// <summary>The body as <typeparamref name="T"/>, or null when the request has none; a body of <c>null</c> is a 400.</summary>
    public static async Task<T?> ReadOptionalAsync<T>(HttpRequest request, CancellationToken ct)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        return await ReadBytesAsync(request, optional: true, ct) is { } bytes
            ? (T)Deserialize(bytes, typeof(T), Strict(HostOptions(request.HttpContext.RequestServices)))
            : null;
    }

    /// <summary>The body as <paramref name="type"/>, read with <paramref name="options"/> made strict.</summary>
    public static async Task<object> ReadAsync(HttpRequest request, Type type, JsonSerializerOptions options, CancellationToken ct) =>
        Deserialize((await ReadBytesAsync(request, optional: false, ct))!, type, Strict(options));

    /// <summary>The body as a JSON object of any shape, for a function that reads it by its members.</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, CancellationToken ct)
    {
        var bytes = (await ReadBytesAsync(request, optional: false, ct))!;
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(bytes, documentOptions: s_document);
        }
        catch (JsonException e)
        {
            throw Malformed(e);
        }

        return node as JsonObject ?? throw BadInputException.MalformedJson(null, "The body must be a JSON object.");
    }

    /// <summary>
    /// A body read with <see cref="ReadObjectAsync"/> (a function may have taken a member out of it) as
    /// <paramref name="type"/>, read as strictly as <see cref="ReadAsync(HttpRequest, Type, JsonSerializerOptions, CancellationToken)"/>.
    /// </summary>
    public static object Deserialize(JsonNode node, Type type, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(node);
        try
        {
            var strict = Strict(options);
            return node.Deserialize(strict.GetTypeInfo(type)) ?? throw NullBody();
        }
        catch (JsonException e)
        {
            throw Malformed(e, type, Strict(options));
        }
        catch (InvalidOperationException)
        {
            // A JsonNode refuses an escaped lone surrogate ("\ud800") only when its string is read.
            throw BadInputException.MalformedJson(null, "The body holds a string that is not valid Unicode (an unpaired surrogate escape such as \\ud800).");
        }
    }

    /// <summary><paramref name="options"/> with this reader's strictness; made once per options instance.</summary>
    internal static JsonSerializerOptions Strict(JsonSerializerOptions options) =>
        s_strict.GetValue(options, static o => new JsonSerializerOptions(o)
        {
            AllowDuplicateProperties = false,
            NumberHandling = JsonNumberHandling.Strict,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
        });

    private static object Deserialize(byte[] bytes, Type type, JsonSerializerOptions options)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, options.GetTypeInfo(type)) ?? throw NullBody();
        }
        catch (JsonException e)
        {
            throw Malformed(e, type, options);
        }
    }

    /// <summary>The body's bytes, checked to be UTF-8 JSON; null when there is none and none is needed.</summary>
    private static async Task<byte[]?> ReadBytesAsync(HttpRequest request, bool optional, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var hasBody = request.ContentLength is > 0 || request.ContentLength is null && request.Headers.TransferEncoding.Count > 0;
        if (!hasBody && (request.ContentType is null || request.HasJsonContentType()))
        {
            return optional ? null : throw BadInputException.MalformedJson(null, "A JSON body is required.");
        }

        if (!request.HasJsonContentType())
        {
            throw BadInputException.UnsupportedMediaType(
                $"The body must be JSON with Content-Type application/json; got '{BadInputException.Shorten(request.ContentType ?? "none")}'.");
        }

        var charset = request.GetTypedHeaders().ContentType?.Charset.Value;
        if (charset is not null && !charset.Trim('"').Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            throw BadInputException.UnsupportedMediaType($"The body must be UTF-8; got charset '{BadInputException.Shorten(charset)}'.");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        var bytes = buffer.ToArray();
        if (bytes.Length == 0)
        {
            return optional ? null : throw BadInputException.MalformedJson(null, "A JSON body is required.");
        }

        // Invalid bytes would otherwise be read as U+FFFD, and a stored, hashed or signed text would differ from
        // what the client sent.
        if (!Utf8.IsValid(bytes))
        {
            throw BadInputException.MalformedJson(null, "The body is not valid UTF-8.");
        }

        return bytes;
    }

    /// <summary>
    /// What the member at <paramref name="path"/> of <paramref name="body"/> must hold, in JSON's words ("a number",
    /// "a UUID string"), found from the serializer's own contract; null when the path cannot be followed.
    /// </summary>
    private static string? Expected(Type? body, JsonSerializerOptions? options, string path)
    {
        if (body is null || options is null)
        {
            return null;
        }

        var type = body;
        foreach (var segment in path.TrimStart('$').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = segment.Split('[')[0];
            // Options the serializer has used have their contracts; a message is never worth a failure of its own.
            var property = options.TryGetTypeInfo(type, out var contract) ? contract.Properties.FirstOrDefault(p => p.Name == name) : null;
            if (property is null)
            {
                return null;
            }

            type = property.PropertyType;
            for (var brackets = segment.Count(c => c == '['); brackets > 0; brackets--)
            {
                type = ElementType(type, options) ?? type;
            }
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(string) ? "a string"
            : type == typeof(bool) ? "true or false"
            : type == typeof(Guid) ? "a UUID string"
            : type == typeof(int) || type == typeof(long) || type == typeof(short) ? "a whole number"
            : type == typeof(decimal) || type == typeof(double) || type == typeof(float) ? "a number"
            : type == typeof(DateTime) || type == typeof(DateTimeOffset) ? "a date and time string (RFC 3339)"
            : type == typeof(JsonElement) || type == typeof(JsonNode) ? null
            : ElementType(type, options) is not null ? "an array"
            : type.IsClass ? "a JSON object"
            : null;
    }

    /// <summary>The element type of a collection, from its contract; null for anything else.</summary>
    private static Type? ElementType(Type type, JsonSerializerOptions options) =>
        options.TryGetTypeInfo(type, out var contract) && contract.Kind == JsonTypeInfoKind.Enumerable ? contract.ElementType : null;

    /// <summary>The first quoted name in a System.Text.Json message: the member at fault.</summary>
    private static string Quoted(string message) => message.Split('\'') is { Length: > 2 } parts ? $"'{parts[1]}'" : "a member";

    private static BadInputException NullBody() => BadInputException.MalformedJson(null, "The body must be a JSON object, not null.");

    /// <summary>
    /// Says what is wrong and where, without naming .NET types. System.Text.Json tells the cases apart only by
    /// message (English: the build ships no other resources); a syntax error is the reader's, wrapped.
    /// </summary>
    private static BadInputException Malformed(JsonException e, Type? body = null, JsonSerializerOptions? options = null)
    {
        var syntax = e.InnerException is JsonException || e.GetType() != typeof(JsonException);
        var member = syntax || e.Path is null or "$" ? null : e.Path.TrimStart('$', '.');
        var where = string.Create(CultureInfo.InvariantCulture,
            $"at '{e.Path ?? "$"}' (line {(e.LineNumber ?? 0) + 1}, position {(e.BytePositionInLine ?? 0) + 1})");
        var message = e.Message;
        const string missing = "missing required properties including: ";
        var at = message.IndexOf(missing, StringComparison.Ordinal);
        var detail =
            syntax ? $"The body is not valid JSON {where}."
            : message.StartsWith("Duplicate property", StringComparison.Ordinal) ? $"The body has a property more than once ({Quoted(message)}) {where}."
            : at >= 0 ? $"The body is missing required properties: {message[(at + missing.Length)..].TrimEnd('.')}."
            : message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal) ? $"The body has a property that is not expected ({Quoted(message)}) {where}."
            : message.Contains("null values", StringComparison.Ordinal) ? $"The body has a null value where one is required {where}."
            : member is null ? $"The body has a value of the wrong type {where}: it must be a JSON object."
            : Expected(body, options, e.Path!) is not { } expected ? $"The body has a value of the wrong type {where}."
            : e.InnerException is FormatException ? $"The body has a value of the wrong type {where}: '{member}' must be {expected}, and this one is malformed or out of range."
            : $"The body has a value of the wrong type {where}: '{member}' must be {expected}.";
        return BadInputException.MalformedJson(member, detail);
    }
}

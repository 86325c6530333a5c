using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Plant.Hosting;

namespace Plant.Migrate.Http;

/// <summary>
/// A JSON body that may be left out (<c>POST /plan</c> and <c>/apply</c> work with none). When present it is read
/// as strictly as the host reads required bodies: unknown properties and wrong types are a 400.
/// </summary>
internal static class OptionalJsonBody
{
    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <returns>The body, or null when there is none; or the problem to answer.</returns>
    public static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken ct)
        where T : class
    {
        var hasBody = request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0;
        if (!hasBody)
        {
            return (null, null);
        }

        if (!request.HasJsonContentType())
        {
            return (null, Problems.Result(StatusCodes.Status415UnsupportedMediaType, Problems.UnsupportedMediaType, "Unsupported media type",
                $"The body must be JSON with Content-Type application/json; got '{request.ContentType ?? "none"}'."));
        }

        try
        {
            return (await JsonSerializer.DeserializeAsync<T>(request.Body, s_options, ct), null);
        }
        catch (JsonException e)
        {
            return (null, Problems.Result(StatusCodes.Status400BadRequest, Problems.MalformedJson, "Malformed JSON",
                $"The body is not valid JSON of the expected shape at '{e.Path ?? "$"}' (line {(e.LineNumber ?? 0) + 1})."));
        }
    }
}

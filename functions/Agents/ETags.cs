using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Plant.Agents.Wire;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Npgsql;
using Plant.Core.Catalog;
using Plant.Hosting;

namespace Plant.Agents;

/// <summary>The ETags of the Agents app's answers.</summary>
internal static class ETags
{
    /// <summary>Changes when the JSON shape of an answer changes, so that a new deployment does not answer 304 to an old shape.</summary>
    private const string RepresentationVersion = "agents-api-1";

    /// <summary>
    /// The ETag of a catalog answer: the catalog change marker and the request (path and query, without the key),
    /// so that it changes exactly when the catalog does, and can be checked before running the query.
    /// </summary>
    public static EntityTagHeaderValue Catalog(HttpRequest request, long catalogVersion) =>
        Of($"{RepresentationVersion}|{catalogVersion}|{request.Path}|{QueryReader.Canonical(request)}");

    /// <summary>The ETag of an answer that does not follow the catalog (a trial): a hash of what it says.</summary>
    public static EntityTagHeaderValue Content<T>(T value) => Of($"{RepresentationVersion}|{JsonSerializer.Serialize(value, AgentsJson.Default.GetTypeInfo(typeof(T))!)}");

    /// <summary>
    /// The current catalog's ETag when <c>If-None-Match</c> already names it, so that the route answers 304 without
    /// running its query (one indexed read); null otherwise, and without reading anything when there is no such header.
    /// </summary>
    public static async Task<EntityTagHeaderValue?> CurrentCatalogAsync(HttpRequest request, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        if (request.Headers.IfNoneMatch.Count == 0)
        {
            return null;
        }

        var etag = Catalog(request, await CatalogChanges.ReadVersionAsync(dataSource, ct));
        return Preconditions.IsNotModified(request, etag) ? etag : null;
    }

    private static EntityTagHeaderValue Of(string text) =>
        new("\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 12)) + "\"");
}

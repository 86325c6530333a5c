using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Plant.Hosting.Functions;

namespace Plant.Hosting.OpenApi;

/// <summary>
/// Each app's OpenAPI document at <c>/openapi/{app}.json</c> and the API reference page at <c>/docs</c> (Swagger UI,
/// its assets served from the package: no CDN), both anonymous and read-only, and served only where
/// <c>PLANT_API_DOCS</c> turns them on (by default a local run). The same documents are written beside each app at
/// build (<c>--openapi FILE</c>).
/// </summary>
internal static class ApiDocs
{
    public const string Setting = "PLANT_API_DOCS";
    public const string PagePath = "/docs";
    public const string WriteArgument = "--openapi";

    public static string DocumentPath(string app) => $"/openapi/{app.ToLowerInvariant()}.json";

    /// <summary>The app's document as indented UTF-8, its schemas made with <paramref name="json"/>: what the host really reads and writes.</summary>
    public static byte[] Serialize(string app, IReadOnlyList<FunctionDescriptor> functions, string routePrefix, JsonSerializerOptions json)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            OpenApiDocument.Build(app, functions, routePrefix, json).WriteTo(writer);
        }

        return buffer.ToArray();
    }

    public static void Map(WebApplication host, IReadOnlyList<FunctionApp> apps, IReadOnlyList<FunctionDescriptor> functions, string routePrefix)
    {
        foreach (var app in apps)
        {
            var document = new Lazy<byte[]>(() => Serialize(app.Name, functions, routePrefix, JsonBody.HostOptions(host.Services)));
            host.MapGet(DocumentPath(app.Name), () => Results.Bytes(document.Value, "application/json"));
        }

        host.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = PagePath.TrimStart('/');
            ui.DocumentTitle = "Plant API reference";
            foreach (var app in apps)
            {
                ui.SwaggerEndpoint(DocumentPath(app.Name), app.Name);
            }

            ui.DisplayOperationId();
            ui.EnableTryItOutByDefault();
            // Keys typed into Authorize stay in this browser tab only (never sent anywhere but this host).
            ui.ConfigObject.PersistAuthorization = false;
        });
    }

    /// <summary>
    /// Writes the app's document to <paramref name="path"/> from its functions alone: no settings, no database. Each
    /// app's build does this; a process serving several apps has no single document, and says so.
    /// </summary>
    public static int Write(string path, IReadOnlyList<FunctionApp> apps)
    {
        if (apps is not [var app])
        {
            Console.Error.WriteLine($"{WriteArgument} writes one app's document; this program serves {apps.Count} apps (build each app instead).");
            return 2;
        }

        var defaults = new ConfigurationBuilder().AddInMemoryCollection(app.DefaultSettings).Build();
        var functions = FunctionIndexer.Index(apps, defaults);
        var prefix = HostJson.Load(Path.Combine(AppContext.BaseDirectory, "host.json")).RoutePrefix;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllBytes(path, Serialize(app.Name, functions, prefix, Http.HostJsonContext.OptionsFor(apps)));
        return 0;
    }
}

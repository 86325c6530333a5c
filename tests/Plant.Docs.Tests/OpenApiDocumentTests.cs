using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Plant.Docs.Tests.Support;
using Plant.Testing;

namespace Plant.Docs.Tests;

/// <summary>Each app's OpenAPI document describes exactly what the host serves, and passes the linter.</summary>
[Collection(LocalPlantCollection.Name)]
public sealed partial class OpenApiDocumentTests(LocalPlant plant)
{
    private static readonly string[] s_methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    [Fact]
    public async Task Every_served_route_is_in_a_document_and_every_documented_one_is_served()
    {
        var served = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in plant.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var path = "/" + RouteConstraint().Replace(endpoint.RoutePattern.RawText!.TrimStart('/'), "{$1}");
            if (path.StartsWith("/openapi/", StringComparison.Ordinal))
            {
                // The documents themselves, listed by the reference page rather than by the documents.
                continue;
            }

            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
            {
                served.Add($"{method.ToUpperInvariant()} {path}");
            }
        }

        var documented = new HashSet<string>(StringComparer.Ordinal);
        foreach (var app in LocalPlant.Apps)
        {
            foreach (var (path, item) in (await plant.DocumentAsync(app))["paths"]!.AsObject())
            {
                foreach (var method in item!.AsObject().Select(m => m.Key).Where(s_methods.Contains))
                {
                    documented.Add($"{method.ToUpperInvariant()} {path}");
                }
            }
        }

        Assert.True(served.Count > 30, string.Join('\n', served));
        Assert.Empty(served.Except(documented));
        Assert.Empty(documented.Except(served));
    }

    /// <summary>
    /// A parameter the document does not list is refused with the list of those the function knows: that list and
    /// the document's must be the same, for every GET (a POST reads its body first).
    /// </summary>
    [Fact]
    public async Task Every_GET_takes_exactly_the_query_parameters_its_document_lists()
    {
        var checkedOperations = 0;
        foreach (var app in LocalPlant.Apps)
        {
            foreach (var (path, item) in (await plant.DocumentAsync(app))["paths"]!.AsObject())
            {
                if (item!["get"] is not JsonObject operation)
                {
                    continue;
                }

                var parameters = operation["parameters"]?.AsArray().Select(p => p!.AsObject()).ToList() ?? [];
                var documented = parameters.Where(p => (string?)p["in"] == "query").Select(p => (string)p["name"]!).Order(StringComparer.Ordinal).ToList();
                if (operation["security"]!.AsArray().Count == 0)
                {
                    // The anonymous health routes read nothing of the request, and list nothing.
                    Assert.Empty(documented);
                    continue;
                }
                using var request = new HttpRequestMessage(HttpMethod.Get, Fill(path, parameters) + "?undocumented=1");
                request.Headers.Add("x-functions-key", plant.MasterKey);
                using var response = await plant.Client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"GET {path}: {(int)response.StatusCode} {body}");
                var problem = JsonNode.Parse(body)!;
                Assert.Equal("undocumented", (string?)problem["parameter"]);
                var detail = (string)problem["detail"]!;
                var known = detail.Contains("known: ", StringComparison.Ordinal)
                    ? detail[(detail.IndexOf("known: ", StringComparison.Ordinal) + 7)..].TrimEnd(')', '.').Split(", ").Order(StringComparer.Ordinal).ToList()
                    : [];
                Assert.True(documented.SequenceEqual(known), $"GET {path}: documented [{string.Join(", ", documented)}], served [{string.Join(", ", known)}]");
                checkedOperations++;
            }
        }

        Assert.True(checkedOperations >= 15, $"{checkedOperations} GET operations checked");
    }

    [Fact]
    public async Task The_documents_pass_Redocly_s_recommended_rules()
    {
        var folder = Directory.CreateTempSubdirectory("plant-openapi-lint-").FullName;
        try
        {
            var files = new List<string>();
            foreach (var app in LocalPlant.Apps)
            {
                var file = Path.Combine(folder, $"{app.ToLowerInvariant()}.json");
                await File.WriteAllTextAsync(file, await plant.Client.GetStringAsync($"/openapi/{app.ToLowerInvariant()}.json"));
                files.Add(file);
            }

            var (exit, output) = await RunAsync("bash", [RepositoryFolder.Path("scripts", "lint-openapi.sh"), .. files]);
            Assert.True(exit == 0, output);

            // The linter is not a rubber stamp: a document with an operation id used twice fails.
            var broken = JsonNode.Parse(await File.ReadAllTextAsync(files[0]))!;
            var operations = broken["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Where(m => s_methods.Contains(m.Key))).Select(m => m.Value!).ToList();
            operations[1]["operationId"] = (string)operations[0]["operationId"]!;
            await File.WriteAllTextAsync(files[0], broken.ToJsonString());
            var (brokenExit, brokenOutput) = await RunAsync("bash", [RepositoryFolder.Path("scripts", "lint-openapi.sh"), files[0]]);
            Assert.NotEqual(0, brokenExit);
            Assert.Contains("operation-operationId-unique", brokenOutput, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The build writes each app's document beside it (and so into its image): the same the app serves.</summary>
    [Fact]
    public async Task The_document_written_at_build_is_the_one_served()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        foreach (var app in LocalPlant.Apps)
        {
            var built = RepositoryFolder.Path("functions", app, "bin", configuration, "net10.0", "openapi.json");
            Assert.True(File.Exists(built), built);
            Assert.Equal(await plant.Client.GetStringAsync($"/openapi/{app.ToLowerInvariant()}.json"), await File.ReadAllTextAsync(built));
        }
    }

    [Fact]
    public async Task The_documents_hold_no_key_setting_or_local_path()
    {
        foreach (var app in LocalPlant.Apps)
        {
            var text = await plant.Client.GetStringAsync($"/openapi/{app.ToLowerInvariant()}.json");
            Assert.DoesNotContain(plant.MasterKey, text, StringComparison.Ordinal);
            Assert.DoesNotContain(plant.FunctionKey, text, StringComparison.Ordinal);
            Assert.DoesNotContain(plant.ConnectionString, text, StringComparison.Ordinal);
            Assert.DoesNotContain(plant.Folder, text, StringComparison.Ordinal);
            Assert.DoesNotContain("127.0.0.1", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Operations_name_their_keys_and_problem_types()
    {
        var agents = await plant.DocumentAsync("Agents");
        var start = agents["paths"]!["/api/v1/trials"]!["post"]!;
        Assert.Equal("StartTrial", (string?)start["operationId"]);
        Assert.Equal(3, start["security"]!.AsArray().Count);
        Assert.Equal("#/components/schemas/StartTrialRequest", (string?)start["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]);
        Assert.Equal("#/components/schemas/TrialDto", (string?)start["responses"]!["201"]!["content"]!["application/json"]!["schema"]!["$ref"]);
        var conflicts = start["responses"]!["409"]!["content"]!["application/problem+json"]!["schema"]!["properties"]!["type"]!["enum"]!.AsArray().Select(t => (string)t!);
        Assert.Equal(["urn:plant:problem:agent-unavailable", "urn:plant:problem:trial-active"], conflicts);

        var get = agents["paths"]!["/api/v1/agents/{id}"]!["get"]!;
        var id = get["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "id")!;
        Assert.Equal("uuid", (string?)id["schema"]!["format"]);
        Assert.Equal(["200", "304"], get["responses"]!.AsObject().Select(r => r.Key).Where(s => s[0] is '2' or '3'));

        var health = agents["paths"]!["/api/v1/agents/health"]!["get"]!;
        Assert.Empty(health["security"]!.AsArray());

        var migrate = await plant.DocumentAsync("Migrate");
        var plan = migrate["paths"]!["/api/v1/migrations/plan"]!["post"]!;
        Assert.Equal(["masterKey", "bearerToken"], plan["security"]!.AsArray().Select(s => s!.AsObject().Single().Key));
    }

    private static string Fill(string path, IEnumerable<JsonObject> parameters) => PathParameter().Replace(path, match =>
    {
        var parameter = parameters.Single(p => (string?)p["in"] == "path" && (string?)p["name"] == match.Groups[1].Value);
        return parameter["schema"]!["enum"] is JsonArray values ? (string)values[0]!
            : (string?)parameter["schema"]!["format"] == "uuid" ? Guid.NewGuid().ToString() : "x";
    });

    private static async Task<(int Exit, string Output)> RunAsync(string file, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"\{([A-Za-z0-9_]+)(?::[^{}]*(?:\{[^{}]*\}[^{}]*)*)?\}")]
    private static partial Regex RouteConstraint();

    [GeneratedRegex(@"\{([A-Za-z0-9_]+)\}")]
    private static partial Regex PathParameter();
}

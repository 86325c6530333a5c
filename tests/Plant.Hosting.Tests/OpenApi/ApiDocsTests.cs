using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Plant.Testing;
using Plant.Testing.Hosting;

namespace Plant.Hosting.Tests.OpenApi;

/// <summary>
/// The OpenAPI document and the reference page: what the document says of routes, parameters, bodies, answers,
/// problems and keys; and that a deployed host serves neither unless PLANT_API_DOCS turns them on.
/// </summary>
public sealed class ApiDocsTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private static readonly Dictionary<string, string?> s_on = new() { ["PLANT_API_DOCS"] = "true" };

    [Theory]
    [InlineData("uat", null)]
    [InlineData("prod", null)]
    [InlineData("local", "genesis")]
    [InlineData("uat", "false")]
    public async Task A_deployed_host_serves_neither_the_page_nor_the_document(string environment, string? containerOrSetting)
    {
        var settings = new Dictionary<string, string?> { ["PLANT_ENVIRONMENT"] = environment };
        if (containerOrSetting == "false")
        {
            settings["PLANT_API_DOCS"] = "false";
        }
        else if (containerOrSetting is not null)
        {
            // Cloud Run sets K_SERVICE: a container is deployed, whatever its environment says.
            settings["K_SERVICE"] = containerOrSetting;
            settings["PLANT_MASTER_KEY"] = TestHost.MasterKey;
        }

        await using var host = await TestHost.StartAsync(database.ConnectionString, [typeof(DocumentedFunctions)], settings);
        foreach (var path in (string[])["/docs", "/docs/index.html", "/openapi/test.json"])
        {
            using var response = await host.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task When_turned_on_the_page_and_the_document_need_no_key()
    {
        await using var host = await TestHost.StartAsync(database.ConnectionString, [typeof(DocumentedFunctions)], s_on);
        using var page = await host.Client.GetAsync("/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("swagger-ui", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var document = await host.Client.GetAsync("/openapi/test.json");
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        Assert.Equal("application/json", document.Content.Headers.ContentType?.MediaType);
        Assert.Equal("3.1.1", (string?)JsonNode.Parse(await document.Content.ReadAsStringAsync())!["openapi"]);
    }

    [Fact]
    public async Task The_document_is_read_only()
    {
        await using var host = await TestHost.StartAsync(database.ConnectionString, [typeof(DocumentedFunctions)], s_on);
        using var response = await host.Client.PostAsync("/openapi/test.json", new StringContent("{}"));
        await Problem.AssertAsync(response, HttpStatusCode.MethodNotAllowed, Problems.MethodNotAllowed);
    }

    [Fact]
    public async Task A_bad_PLANT_API_DOCS_stops_start_up_naming_it()
    {
        var e = await Assert.ThrowsAsync<StartupException>(() => TestHost.StartAsync(database.ConnectionString, [typeof(DocumentedFunctions)],
            new Dictionary<string, string?> { ["PLANT_API_DOCS"] = "sometimes" }));
        Assert.Contains(e.Problems, p => p.StartsWith("PLANT_API_DOCS:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Route_constraints_declared_parameters_and_typed_results_are_described()
    {
        var document = await DocumentAsync();
        var get = document["paths"]!["/api/items/{id}/parts/{n}"]!["get"]!;
        Assert.Equal("Get a part", (string?)get["summary"]);
        var parameters = get["parameters"]!.AsArray().ToDictionary(p => (string)p!["name"]!, p => p!.AsObject());
        Assert.Equal("uuid", (string?)parameters["id"]["schema"]!["format"]);
        Assert.Equal("integer", (string?)parameters["n"]["schema"]!["type"]);
        Assert.Equal(1, (double)parameters["n"]["schema"]!["minimum"]!);
        Assert.True((bool)parameters["n"]["required"]!);
        Assert.Equal("query", (string?)parameters["colour"]["in"]);
        Assert.Equal(["red", "blue"], parameters["colour"]["schema"]!["items"]!["enum"]!.AsArray().Select(v => (string)v!));
        Assert.Equal("array", (string?)parameters["colour"]["schema"]!["type"]);
        Assert.Equal(20, (int)parameters["limit"]["schema"]!["default"]!);
        Assert.Equal(50, (double)parameters["limit"]["schema"]!["maximum"]!);
        Assert.Equal("header", (string?)parameters["X-Trace"]["in"]);

        Assert.Equal("#/components/schemas/Part", (string?)get["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]);
        var part = document["components"]!["schemas"]!["Part"]!;
        Assert.Equal("integer", (string?)part["properties"]!["number"]!["type"]);
        var notFound = get["responses"]!["404"]!["content"]!["application/problem+json"]!["schema"]!["properties"]!["type"]!["enum"]!.AsArray();
        Assert.Equal(["urn:plant:problem:not-found"], notFound.Select(t => (string)t!));
        var conflict = get["responses"]!["409"]!;
        Assert.Equal(["urn:plant:problem:part-locked"], conflict["content"]!["application/problem+json"]!["schema"]!["properties"]!["type"]!["enum"]!.AsArray().Select(t => (string)t!));
        Assert.Contains("part-locked when the part is being edited", (string)conflict["description"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bodies_keys_and_methods_are_described()
    {
        var document = await DocumentAsync();
        var create = document["paths"]!["/api/items"]!["post"]!;
        Assert.Equal("#/components/schemas/NewItem", (string?)create["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]);
        Assert.True((bool)create["requestBody"]!["required"]!);
        Assert.Equal(["400", "401", "403", "413", "415"], create["responses"]!.AsObject().Select(r => r.Key).Where(s => s[0] == '4' && s != "429"));
        Assert.Contains("urn:plant:problem:malformed-json", create["responses"]!["400"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(["masterKey", "bearerToken"], create["security"]!.AsArray().Select(s => s!.AsObject().Single().Key));

        var both = document["paths"]!["/api/items/search"]!.AsObject();
        Assert.Equal(["SearchItemsGet", "SearchItemsPost"], both.Select(m => (string)m.Value!["operationId"]!).Order(StringComparer.Ordinal));
        Assert.Null(both["get"]!["requestBody"]);
        Assert.False((bool)both["post"]!["requestBody"]!["required"]!);
        Assert.Equal(["functionKey", "masterKey", "bearerToken"], both["get"]!["security"]!.AsArray().Select(s => s!.AsObject().Single().Key));

        var schemes = document["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal("x-functions-key", (string?)schemes["functionKey"]!["name"]);
        Assert.Equal("bearer", (string?)schemes["bearerToken"]!["scheme"]);
        Assert.Contains("/admin/functions/{name}", document["paths"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task A_query_parameter_the_function_does_not_declare_is_refused_naming_those_it_does()
    {
        await using var host = await TestHost.StartAsync(database.ConnectionString, [typeof(DocumentedFunctions)], s_on);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/items/{Guid.NewGuid()}/parts/2?colour=red&size=9");
        request.Headers.Add("x-functions-key", TestHost.FunctionKey);
        using var response = await host.Client.SendAsync(request);
        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, Problems.BadRequest);
        Assert.Equal("size", problem.GetProperty("parameter").GetString());
        Assert.Contains("known: colour, limit, cursor", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private async Task<JsonObject> DocumentAsync()
    {
        await using var host = await TestHost.StartAsync(database.ConnectionString, [typeof(DocumentedFunctions)], s_on);
        return JsonNode.Parse(await host.Client.GetStringAsync("/openapi/test.json"))!.AsObject();
    }

    public sealed record Part(Guid Item, int Number, string? Note);

    public sealed record NewItem(string Name);

    public sealed record Query(string Text);

    public static class DocumentedFunctions
    {
        [Function("GetPart")]
        [EndpointSummary("Get a part")]
        [QueryParameter("colour", "Only parts of these colours.", Repeatable = true, Values = ["red", "blue"])]
        [Paged(20, 50)]
        [HeaderParameter("X-Trace", "A trace id.")]
        [ProblemType(StatusCodes.Status409Conflict, "part-locked", "the part is being edited")]
        public static Results<Ok<Part>, ProblemHttpResult> GetPart(
            [HttpTrigger(AuthorizationLevel.Function, "get", Route = "items/{id:guid}/parts/{n:int:min(1)}")] HttpRequest request, Guid id, int n)
        {
            QueryReader.For(request).Many("colour");
            return TypedResults.Ok(new Part(id, n, null));
        }

        [Function("CreateDocumentedItem")]
        public static Created<NewItem> CreateItem([HttpTrigger(AuthorizationLevel.Admin, "post", Route = "items")] HttpRequest request, NewItem item) =>
            TypedResults.Created("/api/items/1", item);

        [Function("SearchItems")]
        [JsonRequestBody(typeof(Query), Required = false)]
        public static Ok SearchItems([HttpTrigger(AuthorizationLevel.Function, "get", "post", Route = "items/search")] HttpRequest request) => TypedResults.Ok();
    }
}

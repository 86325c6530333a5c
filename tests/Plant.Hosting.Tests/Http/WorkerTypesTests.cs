using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Plant.Hosting.Functions;
using Plant.Testing.Hosting;

namespace Plant.Hosting.Tests.Http;

public sealed class WorkerTypeFunctions
{
    /// <summary>Written as many Azure samples do: a method list and no level.</summary>
    [Function("NoLevel")]
    public static string NoLevel([HttpTrigger("get")] HttpRequest request) => "served";

    [Function("Describe")]
    public static object Describe([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "describe/{id:int}")] HttpRequest request, int id, FunctionContext context)
    {
        context.Items["seen"] = id;
        context.GetLogger("Plant.Tests.Describe").LogInformation("Described {InvocationId}", context.InvocationId);
        var definition = context.FunctionDefinition;
        return new
        {
            context.InvocationId,
            context.FunctionId,
            definition.Name,
            definition.EntryPoint,
            definition.Id,
            Assembly = Path.GetFileName(definition.PathToAssembly),
            Parameters = definition.Parameters.Select(p => $"{p.Name}:{p.Type.Name}"),
            Inputs = definition.InputBindings.Values.Select(b => $"{b.Name}:{b.Type}:{b.Direction}"),
            Outputs = definition.OutputBindings.Values.Select(b => $"{b.Name}:{b.Type}:{b.Direction}"),
            Items = context.Items.Count,
            Scoped = context.InstanceServices.GetService(typeof(ILoggerFactory)) is not null,
            Cancellable = context.CancellationToken.CanBeCanceled,
            Retries = $"{context.RetryContext.RetryCount}/{context.RetryContext.MaxRetryCount}",
        };
    }
}

/// <summary>The functions are written on the isolated worker's own types, and served with Azure's meaning of them.</summary>
public sealed class WorkerTypesTests(SharedHost<WorkerTypeFunctions> fixture) : IClassFixture<SharedHost<WorkerTypeFunctions>>
{
    private readonly TestHost _host = fixture.Host;

    [Fact]
    public async Task An_HttpTrigger_written_without_a_level_needs_a_function_key_as_in_Azure()
    {
        // The attribute itself says Anonymous: new HttpTriggerAttribute("get").AuthLevel.
        Assert.Equal(AuthorizationLevel.Anonymous, new HttpTriggerAttribute("get").AuthLevel);

        using var anonymous = await _host.Client.SendAsync(TestHost.Request(HttpMethod.Get, "/api/NoLevel", key: null));
        using var keyed = await _host.Client.SendAsync(TestHost.Request(HttpMethod.Get, "/api/NoLevel", TestHost.FunctionKey));

        await Problem.AssertAsync(anonymous, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal((HttpStatusCode.OK, "served"), (keyed.StatusCode, await keyed.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task FunctionContext_is_the_worker_s_with_the_invocation_the_definition_and_the_services()
    {
        using var response = await _host.Client.GetAsync("/api/describe/7");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var invocationId = body.GetProperty("invocationId").GetString()!;
        Assert.True(Guid.TryParse(invocationId, out _), invocationId);
        Assert.Equal(("Describe", "Plant.Hosting.Tests.Http.WorkerTypeFunctions.Describe", "Plant.Hosting.Tests.dll"), (
            body.GetProperty("name").GetString(), body.GetProperty("entryPoint").GetString(), body.GetProperty("assembly").GetString()));
        Assert.Equal(body.GetProperty("id").GetString(), body.GetProperty("functionId").GetString());
        Assert.Equal(["request:HttpRequest", "id:Int32", "context:FunctionContext"], Strings(body, "parameters"));
        Assert.Equal(["request:httpTrigger:In"], Strings(body, "inputs"));
        Assert.Equal(["$return:http:Out"], Strings(body, "outputs"));
        Assert.Equal((1, true, true, "0/0"), (body.GetProperty("items").GetInt32(), body.GetProperty("scoped").GetBoolean(),
            body.GetProperty("cancellable").GetBoolean(), body.GetProperty("retries").GetString()));
        // GetLogger, the worker's extension, logs through the host.
        Assert.Contains(_host.Logs.Lines, l => l.Category == "Plant.Tests.Describe" && l.Message == $"Described {invocationId}");
    }

    [Fact]
    public async Task The_function_id_is_the_same_for_every_invocation()
    {
        var first = JsonDocument.Parse(await _host.Client.GetStringAsync("/api/describe/1")).RootElement;
        var second = JsonDocument.Parse(await _host.Client.GetStringAsync("/api/describe/2")).RootElement;

        Assert.Equal(first.GetProperty("functionId").GetString(), second.GetProperty("functionId").GetString());
        Assert.NotEqual(first.GetProperty("invocationId").GetString(), second.GetProperty("invocationId").GetString());
    }

    private static List<string> Strings(JsonElement body, string name) => [.. body.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];
}

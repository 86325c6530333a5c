using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Plant.Hosting;

namespace Plant.Bench.HostOverhead;

public sealed record Greeting(string Message);

/// <summary>The trivial functions: the same answer as the bare endpoints, so only the hosts differ.</summary>
public static class HelloFunction
{
    public const string Key = "host-overhead-bench-function-key-0123456789";

    [Function("Hello")]
    public static IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "hello")] HttpRequest request) =>
        Results.Ok(new Greeting("hello"));

    /// <summary>The same behind a function key: the cost of the key check (a SHA-256 per request).</summary>
    [Function("HelloKey")]
    public static IResult RunWithKey([HttpTrigger(AuthorizationLevel.Function, "get", Route = "hello-key")] HttpRequest request) =>
        Results.Ok(new Greeting("hello"));
}

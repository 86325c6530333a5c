using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Plant.Testing.Hosting;

namespace Plant.Hosting.Tests.Http;

public sealed class InvocationLogFunctions
{
    [Function("WhoAmI")]
    public static string WhoAmI([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post")] HttpRequest request, FunctionContext context) =>
        context.InvocationId;
}

public sealed partial class InvocationLogTests(SharedHost<InvocationLogFunctions> fixture) : IClassFixture<SharedHost<InvocationLogFunctions>>
{
    private readonly TestHost _host = fixture.Host;

    [GeneratedRegex(@"^Executing 'Functions\.WhoAmI' \(Reason='HTTP (?<method>[A-Z]+)', Id=(?<id>[0-9a-f-]{36})\)$")]
    private static partial Regex Executing();

    [GeneratedRegex(@"^Executed 'Functions\.WhoAmI' \(Succeeded, Id=(?<id>[0-9a-f-]{36}), Duration=[0-9]+ms\)$")]
    private static partial Regex Executed();

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task Each_invocation_logs_Executing_and_Executed_with_the_same_invocation_id(string method)
    {
        using var response = await _host.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/api/WhoAmI"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var invocationId = await response.Content.ReadAsStringAsync();
        Assert.True(Guid.TryParse(invocationId, out _));

        var lines = _host.Logs.Lines.Where(l => l.Message.Contains(invocationId, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count);
        var executing = Executing().Match(lines[0].Message);
        Assert.True(executing.Success, lines[0].Message);
        Assert.Equal(method, executing.Groups["method"].Value);
        Assert.Equal(invocationId, executing.Groups["id"].Value);
        var executed = Executed().Match(lines[1].Message);
        Assert.True(executed.Success, lines[1].Message);
        Assert.Equal(invocationId, executed.Groups["id"].Value);
        Assert.All(lines, l => Assert.Equal(LogLevel.Information, l.Level));
        Assert.All(lines, l => Assert.Equal("Function.WhoAmI", l.Category));
    }

    [Fact]
    public async Task Concurrent_invocations_get_distinct_ids()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _host.Client.GetStringAsync("/api/WhoAmI")));
        Assert.Equal(8, responses.Distinct().Count());
        Assert.All(responses, id => Assert.Single(_host.Logs.Lines, l => Executed().Match(l.Message) is { Success: true } m && m.Groups["id"].Value == id));
    }
}

using Microsoft.AspNetCore.Http;
using Npgsql;
using Plant.Agents.Trials;
using Plant.Agents.Wire;
using Plant.Core.Configuration;
using Plant.Core.Trials;
using Plant.Hosting;

namespace Plant.Agents.Tests;

/// <summary>
/// StartTrial's input rules as a table, the function called directly on a <see cref="DefaultHttpContext"/>. Its
/// database is a port nothing listens on: a request the rules refuse must never reach it.
/// </summary>
public sealed class StartTrialRulesTests
{
    private static readonly StartTrial s_function = new(new TrialService(
        NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Database=unreachable;Timeout=1"), PlantSettings.Defaults(PlantEnvironment.Local)));

    [Theory]
    [InlineData("c", "not-an-address", null, "customer.email")]
    [InlineData("c", "a@@b.co", null, "customer.email")]
    [InlineData("c", "a b@c.co", null, "customer.email")]
    [InlineData("c", "a@b", null, "customer.email")]
    [InlineData("c", "@b.co", null, "customer.email")]
    [InlineData("c", "a@.b.co", null, "customer.email")]
    [InlineData("c", "a@b.co.", null, "customer.email")]
    [InlineData("  ", "a@b.co", null, "customer.id")]
    [InlineData("", "a@b.co", null, "customer.id")]
    [InlineData("c\td", "a@b.co", null, "customer.id")]
    [InlineData("c", "a@b.co", "", "Idempotency-Key")]
    [InlineData("c", "a@b.co", "   ", "Idempotency-Key")]
    [InlineData("c", "a@b.co", "clé", "Idempotency-Key")]
    public async Task A_request_the_rules_refuse_is_a_400_naming_the_input_before_any_database_work(
        string customerId, string email, string? idempotencyKey, string parameter)
    {
        var http = new DefaultHttpContext();
        if (idempotencyKey is not null)
        {
            http.Request.Headers[StartTrial.IdempotencyKeyHeader] = idempotencyKey;
        }

        var e = await Assert.ThrowsAsync<BadInputException>(() =>
            s_function.Run(http.Request, new StartTrialRequest(Guid.NewGuid(), new TrialCustomer(customerId, email)), CancellationToken.None));

        Assert.Equal(StatusCodes.Status400BadRequest, e.Status);
        Assert.Equal(parameter, e.Parameter);
    }

    [Fact]
    public async Task An_unknown_query_parameter_is_refused_first()
    {
        var http = new DefaultHttpContext();
        http.Request.QueryString = new QueryString("?dryRun=true");

        var e = await Assert.ThrowsAsync<BadInputException>(() =>
            s_function.Run(http.Request, new StartTrialRequest(Guid.NewGuid(), new TrialCustomer("c", "a@b.co")), CancellationToken.None));

        Assert.Equal("dryRun", e.Parameter);
    }
}

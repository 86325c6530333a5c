using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Plant.Agents.Tests.Support;
using Plant.Core.Agents.ReadModel;
using Plant.Core.Configuration;
using Plant.Testing.Hosting;

namespace Plant.Agents.Tests;

/// <summary>
/// The read model's memory is bounded by <c>PLANT_READ_MODEL_MAX_AGENTS</c>: an instance whose catalog is larger
/// answers by the query, and says so in its logs and at <c>/readyz</c>; within the bound, <c>/readyz</c> says what
/// it holds.
/// </summary>
public sealed class ReadModelLimitTests(SeededCatalog catalog) : IClassFixture<SeededCatalog>
{
    [Fact]
    public async Task A_catalog_larger_than_the_limit_is_answered_by_the_query_and_said_so()
    {
        await using var host = await TestHost.StartAsync(catalog.ConnectionString, AgentsApp.Definition,
            new Dictionary<string, string?> { [AgentReadModel.MaximumAgentsSetting] = "10" });

        var first = await SeededCatalog.GetJsonAsync(host, "/api/v1/agents?limit=5");
        var readModel = host.Services.GetRequiredService<AgentReadModel>();
        await WaitForAsync(() => readModel.Describe().StartsWith("not loaded", StringComparison.Ordinal));
        var second = await SeededCatalog.GetJsonAsync(host, "/api/v1/agents?limit=5");

        Assert.Equal(first.GetRawText(), second.GetRawText());
        Assert.Equal(5, second.GetProperty("items").GetArrayLength());
        Assert.Equal(0, readModel.Answers);
        var said = await ReadinessAsync(host);
        Assert.Matches(@"^not loaded \(the catalog has \d+ agents, more than PLANT_READ_MODEL_MAX_AGENTS \(10\)\): lists and items use the query$", said);
        Assert.Contains(host.Logs.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("more than PLANT_READ_MODEL_MAX_AGENTS (10)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Within_the_limit_readyz_says_what_it_holds_and_zero_turns_it_off()
    {
        await using (var host = await TestHost.StartAsync(catalog.ConnectionString, AgentsApp.Definition))
        {
            await SeededCatalog.GetJsonAsync(host, "/api/v1/agents?limit=5");
            var readModel = host.Services.GetRequiredService<AgentReadModel>();
            await WaitForAsync(() => readModel.CatalogVersion is not null);
            await SeededCatalog.GetJsonAsync(host, "/api/v1/agents?limit=5");

            Assert.Equal(1, readModel.Answers);
            Assert.Matches(@"^ready: \d+ agents at catalog version \d+, about \d+\.\d MB$", await ReadinessAsync(host));
        }

        await using (var off = await TestHost.StartAsync(catalog.ConnectionString, AgentsApp.Definition,
            new Dictionary<string, string?> { [AgentReadModel.MaximumAgentsSetting] = "0" }))
        {
            await SeededCatalog.GetJsonAsync(off, "/api/v1/agents?limit=5");
            await SeededCatalog.GetJsonAsync(off, "/api/v1/agents?limit=5");

            Assert.Equal(0, off.Services.GetRequiredService<AgentReadModel>().Answers);
            Assert.Equal("off (PLANT_READ_MODEL_MAX_AGENTS=0): lists and items use the query", await ReadinessAsync(off));
        }
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("-1")]
    [InlineData("10000001")]
    public void A_limit_that_is_not_a_count_is_refused_by_name(string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [AgentReadModel.MaximumAgentsSetting] = value }).Build();

        var refused = Assert.Throws<ConfigurationException>(() => AgentReadModel.MaximumAgentsFrom(configuration));

        Assert.Contains(AgentReadModel.MaximumAgentsSetting, refused.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", refused.Message, StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var waited = 0; !condition() && waited < 300; waited++)
        {
            await Task.Delay(100);
        }

        Assert.True(condition());
    }

    private static async Task<string> ReadinessAsync(TestHost host)
    {
        using var ready = await host.Client.GetAsync("/readyz");
        using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("details").GetProperty("readModel").GetString()!;
    }
}

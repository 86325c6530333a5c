using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Plant.Agents.Tests.Support;
using Plant.Core.Agents.ReadModel;
using Plant.Testing;
using Plant.Testing.Hosting;

namespace Plant.Agents.Tests;

/// <summary>
/// Never stale, with writes racing reads: two instances of the Agents app over one database, each answering from its
/// read model, while Genesis amends an agent again and again. Every answer, from either instance, shows the last
/// amendment that had finished before the request was sent, or a later one.
/// </summary>
public sealed class ReadModelRaceTests
{
    private const int Amendments = 40;

    [Fact]
    public async Task A_write_through_Genesis_is_in_the_next_answer_of_every_instance()
    {
        var database = new PostgresDatabaseFixture();
        await database.InitializeAsync();
        try
        {
            await TestCatalog.MigrateAndSeedAsync(database.DataSource);
            await using var first = await TestHost.StartAsync(database.ConnectionString, AgentsApp.Definition);
            await using var second = await TestHost.StartAsync(database.ConnectionString, AgentsApp.Definition);
            using var genesis = new GenesisWriter(database.DataSource);
            var (agent, team) = await genesis.TeamWithAgentAsync("Racing heron watcher", Description(0));

            var finished = 0; // the last amendment whose write has returned
            using var stop = new CancellationTokenSource();
            var readers = new[] { first, second }.Select(host => Task.Run(async () =>
            {
                var reads = 0;
                while (!stop.IsCancellationRequested)
                {
                    var before = Volatile.Read(ref finished);
                    // The item, and the team's list; both include the draft that an amendment makes.
                    var item = await SeededCatalog.GetJsonAsync(host, $"/api/v1/agents/{agent}?status=draft&status=active");
                    var list = await SeededCatalog.GetJsonAsync(host, $"/api/v1/agents?team={team}&status=draft&status=active");
                    var listed = Assert.Single(list.GetProperty("items").EnumerateArray());
                    Assert.True(Round(item) >= before, $"item: round {Round(item)} after round {before} had finished");
                    Assert.True(Round(listed) >= before, $"list: round {Round(listed)} after round {before} had finished");
                    reads++;
                }

                return reads;
            })).ToArray();

            for (var round = 1; round <= Amendments; round++)
            {
                await genesis.AmendAsync(agent, GenesisWriter.Agent("Racing heron watcher", Description(round), team));
                Volatile.Write(ref finished, round);
                await Task.Delay(Random.Shared.Next(0, 20));
            }

            await stop.CancelAsync();
            var reads = await Task.WhenAll(readers);

            Assert.All(reads, r => Assert.True(r > 0));
            // Both instances answered from memory, not only by the query.
            Assert.All(new[] { first, second }, host => Assert.True(host.Services.GetRequiredService<AgentReadModel>().Answers > 0));
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    private static string Description(int round) => $"Watches heron invoices, round {round}, for duplicate payments and reports them to the controller.";

    private static int Round(JsonElement agent)
    {
        var description = agent.GetProperty("description").GetString()!;
        var start = description.IndexOf("round ", StringComparison.Ordinal) + "round ".Length;
        return int.Parse(description[start..description.IndexOf(',', start)], System.Globalization.CultureInfo.InvariantCulture);
    }
}

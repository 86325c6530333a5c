using Npgsql;
using Plant.Agents.Tests.Support;
using Plant.Core.Agents;
using Plant.Core.Data;
using Plant.Core.Paging;

namespace Plant.Agents.Tests;

/// <summary>
/// Lookups by id ask PostgreSQL for a generic plan with a session setting, in the same round trip as the query: the
/// next renter of the pooled connection must still find the setting as it was, whether the batch succeeded or
/// failed. A pool of one connection, so that every step below runs on the same session, and without Npgsql's own
/// reset on return to the pool, which would otherwise hide a setting left behind.
/// </summary>
[Collection(ReadOnlyCatalog.Name)]
public sealed class GenericPlanTests(SeededCatalog catalog) : IAsyncLifetime
{
    private NpgsqlDataSource _oneSession = null!;

    public Task InitializeAsync()
    {
        _oneSession = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(catalog.ConnectionString) { MaxPoolSize = 1, NoResetOnClose = true }.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _oneSession.DisposeAsync();

    [Fact]
    public async Task A_lookup_by_id_runs_on_a_generic_plan_and_leaves_the_session_setting_as_it_was()
    {
        var queries = new AgentQueries(_oneSession, new PageCursors(_oneSession));
        var sentinel = Seeded.Agent("Sentinel");

        for (var i = 0; i < 2; i++)
        {
            var (agent, catalogVersion) = await queries.GetAsync(sentinel, AgentFilter.DefaultStatuses, CancellationToken.None);
            Assert.Equal(sentinel, agent?.Id);
            Assert.True(catalogVersion > 0);
        }

        Assert.Equal("auto", await ScalarAsync<string>("show plan_cache_mode"));
        Assert.Equal(0L, await ScalarAsync<long>("select coalesce(sum(custom_plans), 0)::bigint from pg_prepared_statements where statement like '%entity_version%'"));
        Assert.True(await ScalarAsync<long>("select coalesce(max(generic_plans), 0) from pg_prepared_statements where statement like '%entity_version%'") >= 2);
    }

    [Fact]
    public async Task A_failing_generic_plan_batch_leaves_the_session_setting_as_it_was()
    {
        await using (var batch = await PreparedBatch.OpenAsync(_oneSession, genericPlan: true, CancellationToken.None))
        {
            batch.Add(new NpgsqlBatchCommand("select 1 / (select count(*) - count(*) from catalog.entity_version)"));
            var failure = await Assert.ThrowsAsync<PostgresException>(() => batch.ExecuteReaderAsync(CancellationToken.None));
            Assert.Equal(PostgresErrorCodes.DivisionByZero, failure.SqlState);
        }

        Assert.Equal("auto", await ScalarAsync<string>("show plan_cache_mode"));
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = _oneSession.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}

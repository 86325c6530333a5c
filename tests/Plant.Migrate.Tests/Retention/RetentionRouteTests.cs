using System.Net;
using System.Net.Http.Json;
using System.Text;
using Plant.Core.Retention;
using Plant.Hosting;
using Plant.Migrate.Retention;
using Plant.Migrate.Tests.Support;
using Plant.Testing.Hosting;

namespace Plant.Migrate.Tests.Retention;

/// <summary>The purge through the Migrate app: the admin route and the PurgeExpiredData timer, in uat with 30 days' retention.</summary>
public sealed class RetentionRouteTests(RetentionDatabase db) : IClassFixture<RetentionDatabase>
{
    private const string Route = "/api/v1/retention/purge";
    private const string TimerPath = "/admin/functions/" + nameof(PurgeExpiredData);

    [Fact]
    public async Task A_dry_run_by_query_or_body_reports_the_expired_trial_and_leaves_it()
    {
        var trial = await db.InsertTrialAsync(DateTimeOffset.UtcNow.AddDays(-50), DateTimeOffset.UtcNow.AddDays(-40));
        await using var host = await StartAsync();

        var (byQuery, queryBody) = await MigrateHosts.PostAsync(host, Route + "?dryRun=true");
        var (byBody, bodyBody) = await MigrateHosts.PostAsync(host, Route, new { dryRun = true });

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (byQuery, byBody));
        foreach (var report in new[] { queryBody, bodyBody })
        {
            Assert.True(report.GetProperty("dryRun").GetBoolean());
            Assert.True(report.GetProperty("tables").GetProperty("catalog.trial").GetInt64() >= 1);
            Assert.False(report.TryGetProperty("auditEntry", out _));
        }

        Assert.True(await db.ExistsAsync("catalog.entity", "entity_id", trial));
    }

    [Fact]
    public async Task A_run_on_demand_removes_what_expired_keeps_what_did_not_and_records_itself_in_the_audit_trail()
    {
        var expired = await db.InsertTrialAsync(DateTimeOffset.UtcNow.AddDays(-50), DateTimeOffset.UtcNow.AddDays(-31));
        var recent = await db.InsertTrialAsync(DateTimeOffset.UtcNow.AddDays(-36), DateTimeOffset.UtcNow.AddDays(-29));
        await using var host = await StartAsync();

        var (status, report) = await MigrateHosts.PostAsync(host, Route);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(report.GetProperty("dryRun").GetBoolean());
        Assert.False(await db.ExistsAsync("catalog.entity", "entity_id", expired));
        Assert.True(await db.ExistsAsync("catalog.entity", "entity_id", recent));
        var sequence = report.GetProperty("auditEntry").GetProperty("sequence").GetInt64();
        Assert.Equal(
            $"key:master {RetentionPurge.PurgedAction} {report.GetProperty("runId").GetString()}",
            await db.ScalarAsync<string>("select actor || ' ' || action || ' ' || (details ->> 'runId') from genesis.audit_entry where sequence = @s", ("s", sequence)));
        Assert.Contains(host.Logs.Lines, l => l.Message.StartsWith("Retention purge ", StringComparison.Ordinal) && l.Message.Contains(" rows", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("?dryRun=maybe", null)]
    [InlineData("?dryRun=true&dryRun=false", null)]
    [InlineData("?dryRun=false", """{ "dryRun": true }""")]
    [InlineData("", """{ "dryRun": "yes" }""")]
    [InlineData("", """{ "dryRun": true, "everything": true }""")]
    // The last of two values once won, and a real purge ran.
    [InlineData("", """{ "dryRun": true, "dryRun": false }""")]
    [InlineData("", "null")]
    public async Task A_bad_dry_run_flag_is_a_400_and_nothing_runs(string query, string? body)
    {
        var trial = await db.InsertTrialAsync(DateTimeOffset.UtcNow.AddDays(-50), DateTimeOffset.UtcNow.AddDays(-40));
        await using var host = await StartAsync();
        using var request = TestHost.Request(HttpMethod.Post, Route + query, TestHost.MasterKey);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await host.Client.SendAsync(request);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, body is not null && query.Length == 0 ? Problems.MalformedJson : Problems.BadRequest);
        Assert.True(await db.ExistsAsync("catalog.entity", "entity_id", trial), problem.ToString());
    }

    [Fact]
    public async Task The_route_wants_the_master_key()
    {
        await using var host = await StartAsync();

        using var response = await host.Client.SendAsync(TestHost.Request(HttpMethod.Post, Route, TestHost.FunctionKey));

        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, Problems.Unauthorized);
    }

    [Fact]
    public async Task While_another_purge_holds_the_lock_the_route_answers_409_and_removes_nothing()
    {
        var trial = await db.InsertTrialAsync(DateTimeOffset.UtcNow.AddDays(-50), DateTimeOffset.UtcNow.AddDays(-40));
        await using var host = await StartAsync();
        // Outside the pool: a session-level lock would otherwise outlive the test on a pooled connection.
        await using var holder = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(db.ConnectionString) { Pooling = false }.ConnectionString);
        await holder.OpenAsync();
        await using (var take = new Npgsql.NpgsqlCommand("select pg_advisory_lock(@key)", holder))
        {
            take.Parameters.AddWithValue("key", RetentionPurge.LockKey);
            await take.ExecuteNonQueryAsync();
        }

        using var response = await host.Client.SendAsync(TestHost.Request(HttpMethod.Post, Route, TestHost.MasterKey));

        await Problem.AssertAsync(response, HttpStatusCode.Conflict, RunRetentionPurge.PurgeInProgress);
        Assert.True(await db.ExistsAsync("catalog.entity", "entity_id", trial));
    }

    [Fact]
    public async Task The_timer_purges_on_its_daily_schedule_including_the_host_s_old_timer_runs_and_scheduler_deliveries()
    {
        var timerEntries = await db.ScalarAsync<long>("select count(*) from genesis.audit_entry where actor = @a", ("a", PurgeExpiredData.Actor));
        await using var host = await StartAsync();
        // The first run creates the host's tables; the rows below are then aged around the 30-day cutoff.
        Assert.Equal(HttpStatusCode.Accepted, await RunTimerAsync(host, "purge-job", "2026-01-01T03:00:00Z"));
        await db.ExecuteAsync("""
            insert into plant_host.timer_runs (function_name, invocation_id, trigger, started_at, finished_at, succeeded)
            values ('Old', gen_random_uuid(), 'schedule', now() - interval '31 days', now() - interval '31 days', true),
                   ('Recent', gen_random_uuid(), 'schedule', now() - interval '29 days', now() - interval '29 days', true);
            insert into plant_host.scheduler_deliveries (job_name, schedule_time, function_name, invocation_id, received_at, finished_at, succeeded)
            values ('old-job', 't1', 'PurgeExpiredData', gen_random_uuid(), now() - interval '31 days', now() - interval '31 days', true),
                   ('recent-job', 't2', 'PurgeExpiredData', gen_random_uuid(), now() - interval '29 days', now() - interval '29 days', true);
            """);
        var expired = await db.InsertTrialAsync(DateTimeOffset.UtcNow.AddDays(-50), DateTimeOffset.UtcNow.AddDays(-40));

        var status = await RunTimerAsync(host);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.False(await db.ExistsAsync("catalog.entity", "entity_id", expired), host.Logs.All);
        Assert.Equal("Recent", await db.ScalarAsync<string>("select string_agg(function_name, ',') from plant_host.timer_runs where function_name in ('Old', 'Recent')"));
        Assert.Equal("purge-job,recent-job", await db.ScalarAsync<string>("select string_agg(job_name, ',' order by job_name) from plant_host.scheduler_deliveries"));
        Assert.Equal(timerEntries + 2, await db.ScalarAsync<long>("select count(*) from genesis.audit_entry where actor = @a", ("a", PurgeExpiredData.Actor)));
        // Daily at 03:00 UTC unless PLANT_RETENTION_SCHEDULE says otherwise.
        Assert.Equal(new TimeSpan(3, 0, 0), (await db.ScalarAsync<DateTime>(
            "select next_occurrence from plant_host.timer_status where function_name = @f", ("f", nameof(PurgeExpiredData)))).TimeOfDay);
    }

    [Fact]
    public async Task The_host_s_bookkeeping_a_second_before_the_cutoff_goes_and_a_second_after_stays()
    {
        await using (var host = await StartAsync())
        {
            // Creates the host's tables.
            Assert.Equal(HttpStatusCode.Accepted, await RunTimerAsync(host));
        }

        var cutoff = new DateTimeOffset(2026, 6, 1, 3, 0, 0, TimeSpan.Zero);
        await db.ExecuteAsync("""
            insert into plant_host.timer_runs (function_name, invocation_id, trigger, started_at, finished_at, succeeded)
            values ('Edge-before', gen_random_uuid(), 'schedule', @before, @before, true), ('Edge-after', gen_random_uuid(), 'schedule', @after, @after, true);
            insert into plant_host.scheduler_deliveries (job_name, schedule_time, function_name, invocation_id, received_at)
            values ('edge-before', 't', 'X', gen_random_uuid(), @before), ('edge-after', 't', 'X', gen_random_uuid(), @after);
            """, ("before", cutoff.AddSeconds(-1)), ("after", cutoff.AddSeconds(1)));

        await db.Purge().RunAsync(RetentionDatabase.At(cutoff), default);

        Assert.Equal("Edge-after", await db.ScalarAsync<string>("select string_agg(function_name, ',') from plant_host.timer_runs where function_name like 'Edge-%'"));
        Assert.Equal("edge-after", await db.ScalarAsync<string>("select string_agg(job_name, ',') from plant_host.scheduler_deliveries where job_name like 'edge-%'"));
    }

    /// <summary>Runs PurgeExpiredData as Cloud Scheduler does, optionally as a named delivery.</summary>
    private static async Task<HttpStatusCode> RunTimerAsync(TestHost host, string? job = null, string? scheduleTime = null)
    {
        using var request = TestHost.Request(HttpMethod.Post, TimerPath, TestHost.MasterKey);
        if (job is not null)
        {
            request.Headers.Add("X-CloudScheduler-JobName", job);
            request.Headers.Add("X-CloudScheduler-ScheduleTime", scheduleTime);
        }

        using var response = await host.Client.SendAsync(request);
        return response.StatusCode;
    }

    private Task<TestHost> StartAsync() => MigrateHosts.StartAsync(db.ConnectionString, null, "uat", new Dictionary<string, string?> { ["PLANT_RETENTION_DAYS"] = "30" });
}

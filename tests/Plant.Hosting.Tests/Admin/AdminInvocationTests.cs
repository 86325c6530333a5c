using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Plant.Testing.Hosting;
using Plant.Hosting.Tests.Timers;
using Plant.Testing;

namespace Plant.Hosting.Tests.Admin;

/// <summary>Timers driven from outside (timers are not in-process in these hosts), and one HTTP function.</summary>
public sealed class AdminFunctions
{
    [Function("AdminRun")]
    public static void Run([TimerTrigger("0 0 * * * *")] TimerInfo timer, FunctionContext context) => Observe(context, timer);

    [Function("AdminGuarded")]
    public static void Guarded([TimerTrigger("0 0 * * * *")] TimerInfo timer, FunctionContext context) => Observe(context, timer);

    [Function("AdminDeduplicated")]
    public static void Deduplicated([TimerTrigger("0 0 * * * *")] TimerInfo timer, FunctionContext context) => Observe(context, timer);

    [Function("AdminFailsOnce")]
    public static void FailsOnce([TimerTrigger("0 0 * * * *")] TimerInfo timer, FunctionContext context)
    {
        var (scope, call) = Probe.For(context).Enter(context, timer);
        using (scope)
        {
            if (call == 1)
            {
                throw new InvalidOperationException("first delivery fails");
            }
        }
    }

    [Function("AdminBlocking")]
    public static async Task Blocking([TimerTrigger("0 0 * * * *")] TimerInfo timer, FunctionContext context)
    {
        var probe = Probe.For(context);
        using (probe.Enter(context, timer).Scope)
        {
            await probe.Release.Task;
        }
    }

    [Function("AdminKeys")]
    public static void Keys([TimerTrigger("0 0 * * * *")] TimerInfo timer, FunctionContext context) => Observe(context, timer);

    [Function("AdminHttpHello")]
    public static IResult Hello([HttpTrigger(AuthorizationLevel.Function, "get", "post", Route = "v1/admin-hello/{name}")] HttpRequest request, string name) =>
        Results.Ok(name);

    private static void Observe(FunctionContext context, TimerInfo timer)
    {
        using (Probe.For(context).Enter(context, timer).Scope)
        {
        }
    }
}

/// <summary><c>POST /admin/functions/{name}</c>: how Cloud Scheduler drives timers when they do not run in-process.</summary>
public sealed class AdminInvocationTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private readonly HostTables _tables = new(database.DataSource);
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(database.ConnectionString, [typeof(AdminFunctions)]);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_timer_that_does_not_run_in_process_runs_to_completion_and_answers_202_with_its_invocation_id()
    {
        using var response = await _host.Client.SendAsync(AdminRoute.Invoke("AdminRun"));

        var (function, invocationId, status) = await AdminRoute.ReadAcceptedAsync(response);
        Assert.Equal(("AdminRun", "succeeded"), (function, status));
        var run = Assert.Single(await _tables.RunsAsync("AdminRun"));
        Assert.Equal(invocationId, run.InvocationId.ToString());
        Assert.Equal("admin", run.Trigger);
        Assert.True(run.Succeeded);
        var seen = Assert.Single(Probe.For("AdminRun").Runs);
        Assert.Equal(invocationId, seen.InvocationId);
        Assert.False(seen.Timer.IsPastDue);
        Assert.True(seen.Timer.ScheduleStatus!.Next > run.StartedAt.UtcDateTime);
        Assert.Contains(_host.Logs.Lines, l => l.Message.StartsWith(
            $"Executing 'Functions.AdminRun' (Reason='This function was programmatically called via the host APIs.', Id={invocationId})", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("jobs/a", "not-a-time", "X-CloudScheduler-ScheduleTime")]
    [InlineData("jobs/a", "0001-01-01T00:00:00Z", "X-CloudScheduler-ScheduleTime")]
    [InlineData("jobs/a", "2999-01-01T00:00:00Z", "X-CloudScheduler-ScheduleTime")]
    [InlineData("jobs/a", "2025-01-01 10:00:00", "X-CloudScheduler-ScheduleTime")]
    [InlineData("jobs/a", null, "X-CloudScheduler-ScheduleTime")]
    [InlineData(null, "2025-01-01T10:00:00Z", "X-CloudScheduler-JobName")]
    [InlineData("job with spaces", "2025-01-01T10:00:00Z", "X-CloudScheduler-JobName")]
    [InlineData("LONG", "2025-01-01T10:00:00Z", "X-CloudScheduler-JobName")]
    [InlineData("jobs/a", "LONG", "X-CloudScheduler-ScheduleTime")]
    public async Task Cloud_Scheduler_headers_that_cannot_be_right_are_a_400_naming_the_header_and_nothing_runs(string? job, string? time, string header)
    {
        job = job == "LONG" ? new string('j', 6000) : job;
        time = time == "LONG" ? new string('9', 8000) : time;

        using var response = await _host.Client.SendAsync(AdminRoute.Invoke("AdminGuarded", job: job, scheduleTime: time));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, Problems.BadRequest);
        Assert.Equal(header, problem.GetProperty("parameter").GetString());
        Assert.Empty(await _tables.RunsAsync("AdminGuarded"));
    }

    [Fact]
    public async Task A_repeated_Cloud_Scheduler_delivery_runs_once_and_a_delivery_for_another_schedule_time_runs_again()
    {
        const string job = "projects/plant/locations/europe-west1/jobs/dedup";
        using var first = await _host.Client.SendAsync(AdminRoute.Invoke("AdminDeduplicated", job: job, scheduleTime: "2025-01-01T10:00:00Z"));
        using var repeat = await _host.Client.SendAsync(AdminRoute.Invoke("AdminDeduplicated", job: job, scheduleTime: "2025-01-01T10:00:00Z"));
        using var next = await _host.Client.SendAsync(AdminRoute.Invoke("AdminDeduplicated", job: job, scheduleTime: "2025-01-01T11:00:00Z"));

        var firstBody = await AdminRoute.ReadAcceptedAsync(first);
        Assert.Equal("succeeded", firstBody.Status);
        Assert.Equal(("AdminDeduplicated", null, "duplicate"), await AdminRoute.ReadAcceptedAsync(repeat));
        var nextBody = await AdminRoute.ReadAcceptedAsync(next);
        Assert.Equal("succeeded", nextBody.Status);

        var runs = await _tables.RunsAsync("AdminDeduplicated");
        Assert.Equal([firstBody.InvocationId, nextBody.InvocationId], runs.Select(r => r.InvocationId.ToString()));
        Assert.All(runs, run => Assert.Equal("admin", run.Trigger));
        // The run is recorded as being for the occurrence Cloud Scheduler names.
        Assert.Equal([DateTimeOffset.Parse("2025-01-01T10:00:00Z"), DateTimeOffset.Parse("2025-01-01T11:00:00Z")], runs.Select(r => r.ScheduledFor!.Value));
        Assert.Equal(2, Probe.For("AdminDeduplicated").Runs.Count);
    }

    [Fact]
    public async Task A_failed_Cloud_Scheduler_delivery_runs_again_when_it_is_repeated_and_not_after_it_succeeded()
    {
        const string job = "projects/plant/locations/europe-west1/jobs/retry";
        const string time = "2025-01-01T10:00:00Z";
        using var failed = await _host.Client.SendAsync(AdminRoute.Invoke("AdminFailsOnce", job: job, scheduleTime: time));
        var problem = await AdminRoute.ReadProblemAsync(failed, HttpStatusCode.InternalServerError);
        var failedId = problem.GetProperty("invocationId").GetString();
        Assert.DoesNotContain("first delivery fails", problem.ToString(), StringComparison.Ordinal);

        using var retried = await _host.Client.SendAsync(AdminRoute.Invoke("AdminFailsOnce", job: job, scheduleTime: time));
        var retriedBody = await AdminRoute.ReadAcceptedAsync(retried);
        Assert.Equal("succeeded", retriedBody.Status);
        using var repeat = await _host.Client.SendAsync(AdminRoute.Invoke("AdminFailsOnce", job: job, scheduleTime: time));
        Assert.Equal("duplicate", (await AdminRoute.ReadAcceptedAsync(repeat)).Status);

        var runs = await _tables.RunsAsync("AdminFailsOnce");
        Assert.Equal([failedId, retriedBody.InvocationId], runs.Select(r => r.InvocationId.ToString()));
        Assert.Equal([false, true], runs.Select(r => r.Succeeded));
        Assert.Equal("InvalidOperationException: first delivery fails", runs[0].Error);
    }

    [Fact]
    public async Task A_delivery_while_the_timer_is_running_answers_409_and_runs_nothing_and_its_repeat_after_success_is_a_duplicate()
    {
        const string job = "projects/plant/locations/europe-west1/jobs/busy";
        const string time = "2025-01-01T10:00:00Z";
        var probe = Probe.For("AdminBlocking");
        var running = _host.Client.SendAsync(AdminRoute.Invoke("AdminBlocking", job: job, scheduleTime: time));
        await probe.Entered.Task.WaitAsync(HostTables.Patience);

        using (var repeat = await _host.Client.SendAsync(AdminRoute.Invoke("AdminBlocking", job: job, scheduleTime: time)))
        {
            var problem = await AdminRoute.ReadProblemAsync(repeat, HttpStatusCode.Conflict);
            Assert.Equal(Problems.TypePrefix + Problems.Conflict, problem.GetProperty("type").GetString());
        }

        using (var other = await _host.Client.SendAsync(AdminRoute.Invoke("AdminBlocking")))
        {
            await AdminRoute.ReadProblemAsync(other, HttpStatusCode.Conflict);
        }

        probe.Release.SetResult();
        using var first = await running;
        Assert.Equal("succeeded", (await AdminRoute.ReadAcceptedAsync(first)).Status);
        using (var late = await _host.Client.SendAsync(AdminRoute.Invoke("AdminBlocking", job: job, scheduleTime: time)))
        {
            Assert.Equal("duplicate", (await AdminRoute.ReadAcceptedAsync(late)).Status);
        }

        Assert.Single(await _tables.RunsAsync("AdminBlocking"));
        Assert.Single(probe.Runs);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(TestHost.FunctionKey)]
    [InlineData("not-a-key")]
    public async Task The_admin_route_answers_401_without_the_master_key_even_with_a_function_key(string? key)
    {
        using var response = await _host.Client.SendAsync(AdminRoute.Invoke("AdminKeys", key));

        var problem = await AdminRoute.ReadProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal(Problems.TypePrefix + Problems.Unauthorized, problem.GetProperty("type").GetString());
        Assert.Empty(await _tables.RunsAsync("AdminKeys"));
        Assert.Empty(Probe.For("AdminKeys").Runs);
    }

    [Fact]
    public async Task An_unknown_function_is_a_404_problem()
    {
        using var response = await _host.Client.SendAsync(AdminRoute.Invoke("NoSuchFunction"));

        var problem = await AdminRoute.ReadProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal(Problems.TypePrefix + Problems.NotFound, problem.GetProperty("type").GetString());
        Assert.Equal("No function named 'NoSuchFunction' runs in this process.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_HTTP_function_is_a_400_problem_that_names_its_route()
    {
        using var response = await _host.Client.SendAsync(AdminRoute.Invoke("AdminHttpHello"));

        var problem = await AdminRoute.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(Problems.TypePrefix + Problems.BadRequest, problem.GetProperty("type").GetString());
        Assert.Equal("'AdminHttpHello' is an HTTP function: call GET/POST /api/v1/admin-hello/{name} instead.", problem.GetProperty("detail").GetString());
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Plant.Hosting.Timers;
using Plant.Testing.Hosting;

namespace Plant.Hosting.Tests.Timers;

/// <summary>What one invocation of a test timer function saw.</summary>
public sealed record ObservedRun(string InvocationId, TimerInfo Timer, bool TokenCancelled = false);

/// <summary>
/// What a test's timer function records about its invocations, keyed by function name (each test uses its own
/// function names, so tests running in parallel never share a probe).
/// </summary>
public sealed class Probe
{
    private static readonly ConcurrentDictionary<string, Probe> s_probes = new(StringComparer.OrdinalIgnoreCase);

    private readonly ConcurrentQueue<ObservedRun> _runs = new();
    private int _running;
    private int _maxRunning;
    private int _calls;

    /// <summary>Completed when the function is entered the first time.</summary>
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Functions that block wait for this.</summary>
    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<ObservedRun> Runs => [.. _runs];

    /// <summary>The most invocations that were inside the function at once.</summary>
    public int MaxConcurrent => Volatile.Read(ref _maxRunning);

    /// <summary>Set by a function when it has finished its clean-up after cancellation.</summary>
    public bool Exited { get; set; }

    public static Probe For(string function) => s_probes.GetOrAdd(function, _ => new Probe());

    public static Probe For(FunctionContext context) => For(context.FunctionDefinition.Name);

    /// <summary>Counts the invocation in; dispose it when the function leaves. Returns the call's 1-based number.</summary>
    public (IDisposable Scope, int Call) Enter(FunctionContext context, TimerInfo timer)
    {
        var running = Interlocked.Increment(ref _running);
        var max = Volatile.Read(ref _maxRunning);
        while (running > max && Interlocked.CompareExchange(ref _maxRunning, running, max) != max)
        {
            max = Volatile.Read(ref _maxRunning);
        }

        _runs.Enqueue(new ObservedRun(context.InvocationId, timer));
        Entered.TrySetResult();
        return (new Leave(this), Interlocked.Increment(ref _calls));
    }

    private sealed class Leave(Probe probe) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref probe._running);
    }
}

/// <summary>A row of plant_host.timer_runs.</summary>
internal sealed record RunRow(
    Guid InvocationId, string Trigger, DateTimeOffset? ScheduledFor, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, bool Succeeded, string? Error);

/// <summary>Reads and seeds the host's own tables (plant_host) of a test database.</summary>
internal sealed class HostTables(NpgsqlDataSource dataSource)
{
    /// <summary>How long a test waits for a condition before it fails.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    public const string InProcessSetting = "PLANT_TIMERS_IN_PROCESS";

    /// <summary>host.json that lets the scheduler's debug lines (what it waits for, when it finds a timer busy) through.</summary>
    public const string DebugTimersHostJson = """
        { "version": "2.0", "logging": { "logLevel": { "Plant.Hosting.Timers": "Debug" } } }
        """;

    public static Dictionary<string, string?> InProcess(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?> { [InProcessSetting] = "true" };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    public HostStore Store { get; } = new(dataSource);

    public async Task<IReadOnlyList<RunRow>> RunsAsync(string function)
    {
        await Store.EnsureSchemaAsync(CancellationToken.None);
        await using var command = dataSource.CreateCommand("""
            select invocation_id, trigger, scheduled_for, started_at, finished_at, succeeded, error
            from plant_host.timer_runs where function_name = @name order by started_at, id
            """);
        command.Parameters.AddWithValue("name", function);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<RunRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new RunRow(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetBoolean(5),
                reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return rows;
    }

    /// <summary>Polls until the timer has at least <paramref name="count"/> recorded runs.</summary>
    /// <summary>An app of one function class whose host tells time by <paramref name="clock"/>.</summary>
    public static FunctionApp OnClock(Type functions, TimeProvider clock)
    {
        var app = TestHost.App([functions]);
        return new FunctionApp(app.Name, app.FunctionTypes, (services, configuration) =>
        {
            app.ConfigureServices(services, configuration);
            services.AddSingleton(clock);
        });
    }

    /// <summary>
    /// Moves <paramref name="clock"/> a second at a time until <paramref name="count"/> runs are recorded; a second
    /// is moved again when the scheduler had not yet gone to sleep for the first.
    /// </summary>
    public async Task<List<RunRow>> RunsAsClockMovesAsync(string function, int count, FakeTimeProvider clock)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var recorded = await RunsAsync(function);
            if (recorded.Count >= count)
            {
                return [.. recorded.Take(count)];
            }

            clock.Advance(TimeSpan.FromSeconds(1));
            for (var waited = 0; waited < 20 && (await RunsAsync(function)).Count == recorded.Count; waited++)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"{count} runs of '{function}' were not recorded as the clock moved.");
    }

    public Task<IReadOnlyList<RunRow>> WaitForRunsAsync(string function, int count) =>
        Eventually.UntilAsync(() => RunsAsync(function), rows => rows.Count >= count, $"{count} recorded run(s) of '{function}'");

    public async Task<TimerStatusRow?> StatusAsync(string function) => await Store.GetTimerStatusAsync(function, CancellationToken.None);

    /// <summary>Writes a timer's schedule status as a host that stopped at some point would have left it.</summary>
    public async Task SetStatusAsync(string function, DateTimeOffset? last, DateTimeOffset next)
    {
        await Store.EnsureSchemaAsync(CancellationToken.None);
        await using var command = dataSource.CreateCommand("""
            insert into plant_host.timer_status (function_name, last_occurrence, next_occurrence, last_updated)
            values (@name, @last, @next, @next)
            on conflict (function_name) do update
                set last_occurrence = excluded.last_occurrence, next_occurrence = excluded.next_occurrence, last_updated = excluded.last_updated
            """);
        command.Parameters.AddWithValue("name", function);
        command.Parameters.Add(new NpgsqlParameter("last", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)last ?? DBNull.Value });
        command.Parameters.AddWithValue("next", next);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The start of the current UTC hour.</summary>
    public static DateTimeOffset ThisHour()
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
    }

    /// <summary>The scheduler's debug line for a timer that sleeps until the given occurrence.</summary>
    public static string WaitsFor(string function, DateTimeOffset occurrence) => $"Timer '{function}' waits for its occurrence at {occurrence:O}";

    public static string Busy(string function) => $"Timer '{function}' is running in another process";
}

/// <summary>Bounded polling: tests wait for a condition, never for a length of time.</summary>
internal static class Eventually
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (clock.Elapsed > HostTables.Patience)
            {
                Assert.Fail($"Gave up after {HostTables.Patience.TotalSeconds:0} s waiting for {what}.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Polls the host's captured log lines until enough match.</summary>
    public static Task UntilLoggedAsync(TestHost host, string fragment, int count = 1) =>
        UntilAsync(() => Task.FromResult(host.Logs.Lines), lines => lines.Count(l => l.Message.Contains(fragment, StringComparison.Ordinal)) >= count,
            $"{count} log line(s) containing \"{fragment}\"");
}

/// <summary>Calls to the admin route.</summary>
internal static class AdminRoute
{
    public static HttpRequestMessage Invoke(string function, string? key = TestHost.MasterKey, string? job = null, string? scheduleTime = null)
    {
        var request = TestHost.Request(HttpMethod.Post, $"/admin/functions/{function}", key);
        if (job is not null)
        {
            request.Headers.Add("X-CloudScheduler-JobName", job);
        }

        if (scheduleTime is not null)
        {
            request.Headers.Add("X-CloudScheduler-ScheduleTime", scheduleTime);
        }

        return request;
    }

    public static async Task<(string Function, string? InvocationId, string Status)> ReadAcceptedAsync(HttpResponseMessage response)
    {
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, body.EnumerateObject().Count());
        var invocationId = body.GetProperty("invocationId");
        return (body.GetProperty("function").GetString()!,
            invocationId.ValueKind == JsonValueKind.Null ? null : invocationId.GetString(),
            body.GetProperty("status").GetString()!);
    }

    public static async Task<JsonElement> ReadProblemAsync(HttpResponseMessage response, System.Net.HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}

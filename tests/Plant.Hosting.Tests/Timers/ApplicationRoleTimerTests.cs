using Microsoft.Azure.Functions.Worker;
using Plant.Core.Migrations;
using Plant.Hosting.Timers;
using Plant.Testing;
using Plant.Testing.Hosting;

namespace Plant.Hosting.Tests.Timers;

public sealed class ApplicationRoleTimers
{
    public const string Driven = "AppRoleDriven";
    public const string Scheduled = "AppRoleEverySecond";

    [Function(Driven)]
    public static void RunDriven([TimerTrigger("0 0 0 1 1 *")] TimerInfo timer, FunctionContext context)
    {
        using (Probe.For(context).Enter(context, timer).Scope)
        {
        }
    }

    [Function(Scheduled)]
    public static void RunScheduled([TimerTrigger("* * * * * *")] TimerInfo timer, FunctionContext context)
    {
        using (Probe.For(context).Enter(context, timer).Scope)
        {
        }
    }
}

/// <summary>A migrated database, where V0008 created plant_host, and a login that is a member of plant_app only.</summary>
public sealed class MigratedDatabase : IAsyncLifetime
{
    public ScratchDatabase Database { get; private set; } = null!;

    public ApplicationLogin Login { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await ScratchDatabase.CreateAsync("host_app_role");
        await Database.Pipeline().UpAsync();
        Login = await ApplicationLogin.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        await Database.DisposeAsync();
        await Login.DisposeAsync();
    }
}

/// <summary>
/// The host's bookkeeping (plant_host) as the Genesis and Agents apps run in production: as a member of plant_app,
/// which may create nothing, on tables that migration V0008 created.
/// </summary>
public sealed class ApplicationRoleTimerTests(MigratedDatabase db) : IClassFixture<MigratedDatabase>
{
    private readonly HostTables _tables = new(db.Database.DataSource);

    [Fact]
    public async Task Timers_run_and_are_recorded_by_a_host_whose_user_may_create_nothing()
    {
        const string job = "projects/plant/locations/europe-west1/jobs/app-role";
        await using var host = await TestHost.StartAsync(db.Login.ConnectionStringFor(db.Database.ConnectionString), [typeof(ApplicationRoleTimers)],
            HostTables.InProcess());

        // Cloud Scheduler's delivery, its repeat, and a call without its headers; the other timer runs in-process.
        using var delivered = await host.Client.SendAsync(AdminRoute.Invoke(ApplicationRoleTimers.Driven, job: job, scheduleTime: "2025-01-01T10:00:00Z"));
        Assert.Equal("succeeded", (await AdminRoute.ReadAcceptedAsync(delivered)).Status);
        using var repeated = await host.Client.SendAsync(AdminRoute.Invoke(ApplicationRoleTimers.Driven, job: job, scheduleTime: "2025-01-01T10:00:00Z"));
        Assert.Equal("duplicate", (await AdminRoute.ReadAcceptedAsync(repeated)).Status);
        using var again = await host.Client.SendAsync(AdminRoute.Invoke(ApplicationRoleTimers.Driven));
        Assert.Equal("succeeded", (await AdminRoute.ReadAcceptedAsync(again)).Status);
        var scheduled = await _tables.WaitForRunsAsync(ApplicationRoleTimers.Scheduled, 2);

        Assert.Equal(2, (await _tables.RunsAsync(ApplicationRoleTimers.Driven)).Count(run => run.Succeeded && run.Trigger == "admin"));
        Assert.All(scheduled, run => Assert.True(run.Succeeded, run.Error));
        Assert.NotNull(await _tables.StatusAsync(ApplicationRoleTimers.Driven));
        Assert.NotNull(await _tables.StatusAsync(ApplicationRoleTimers.Scheduled));
        Assert.True(await db.Database.ScalarAsync<bool>($"select succeeded from plant_host.scheduler_deliveries where job_name = '{job}'"));
        Assert.DoesNotContain(host.Logs.Lines, line => line.Message.Contains("permission denied", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task V0008_creates_the_host_tables_exactly_as_the_host_does()
    {
        await using var hostMade = await ScratchDatabase.CreateAsync("host_made");
        await new HostStore(hostMade.DataSource).EnsureSchemaAsync(CancellationToken.None);

        // Privileges aside: the migration grants plant_app what the host, creating the tables as their owner, needs no grant for.
        var byHost = await hostMade.SchemaDumpAsync("--schema=plant_host", "--no-privileges");
        var byMigration = await db.Database.SchemaDumpAsync("--schema=plant_host", "--no-privileges");

        Assert.Contains("CREATE TABLE plant_host.timer_runs", byHost, StringComparison.Ordinal);
        Assert.Contains("CREATE INDEX timer_runs_by_function", byHost, StringComparison.Ordinal);
        Assert.Equal(byHost, byMigration);
    }
}

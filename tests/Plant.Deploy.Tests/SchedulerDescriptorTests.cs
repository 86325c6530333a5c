using Microsoft.Extensions.Configuration;
using Plant.Deploy.Tests.Support;
using Plant.Hosting.Functions;

namespace Plant.Deploy.Tests;

/// <summary>
/// The Cloud Scheduler jobs (deploy/ENV/scheduler/): one per timer function, calling that function on its own
/// service, on the function's own schedule, with a token that service admits at the admin level.
/// </summary>
public sealed class SchedulerDescriptorTests
{
    public static TheoryData<string> Environments() => [.. Descriptors.Environments];

    [Theory]
    [MemberData(nameof(Environments))]
    public void Every_timer_function_has_one_scheduler_job_on_its_schedule_and_no_job_calls_anything_else(string environment)
    {
        var jobs = Descriptors.Flags(environment, "scheduler");
        var domains = Descriptors.Flags(environment, "domains").Values.ToDictionary(f => f["--service"], f => f["--domain"]);
        var called = new HashSet<string>(StringComparer.Ordinal);
        var scheduler = $"scheduler-{environment}@{Descriptors.Variables["PROJECT_ID"]}.iam.gserviceaccount.com";

        foreach (var service in Descriptors.Apps.Select(app => Descriptors.Service(environment, app)))
        {
            foreach (var timer in Timers(service))
            {
                var address = $"https://{domains[service.Name]}/admin/functions/{timer.Name}";
                var (name, job) = Assert.Single(jobs, j => j.Value["--uri"] == address);
                called.Add(name);

                Assert.EndsWith($"-{environment}", name, StringComparison.Ordinal);
                Assert.Equal(Descriptors.Variables["REGION"], job["--location"]);
                Assert.Equal("POST", job["--http-method"]);
                Assert.Equal(CronOf(timer.Timer!.Expression), job["--schedule"]);
                Assert.Equal("Etc/UTC", job["--time-zone"]);
                Assert.True(Seconds(job["--attempt-deadline"]) > service.TimeoutSeconds,
                    $"{name}: the attempt deadline ends before the service's request timeout");

                // The token: the scheduler's own account, admitted at the admin level, for an audience the service accepts.
                Assert.Equal(scheduler, job["--oidc-service-account-email"]);
                Assert.Contains(scheduler, List(service.Container.Values.GetValueOrDefault("PLANT_TOKEN_ADMIN_CALLERS")));
                var audience = job["--oidc-token-audience"];
                Assert.Contains(audience, List(service.Container.Values["PLANT_TOKEN_AUDIENCES"]));
                if (service.BehindIam)
                {
                    Assert.Contains(audience, service.Annotations["run.googleapis.com/custom-audiences"], StringComparison.Ordinal);
                }
            }
        }

        Assert.Equal(jobs.Keys.Order(StringComparer.Ordinal), called.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("0 */15 * * * *", "*/15 * * * *")]
    [InlineData("0 0 3 * * *", "0 3 * * *")]
    [InlineData("0 30 9 * * 1-5", "30 9 * * 1-5")]
    public void An_NCRONTAB_schedule_on_whole_minutes_is_written_in_cron_s_five_fields(string ncrontab, string cron)
    {
        Assert.Equal(cron, CronOf(ncrontab));
    }

    /// <summary>The timers of a service's app, their schedules resolved with the settings the descriptor gives.</summary>
    private static IEnumerable<FunctionDescriptor> Timers(ServiceDescriptor service)
    {
        var app = StandIns.App(service.App);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(app.DefaultSettings)
            .AddInMemoryCollection(service.Container.Values.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)))
            .Build();
        return FunctionIndexer.Index([app], configuration).Where(f => f.Timer is not null);
    }

    /// <summary>Cloud Scheduler takes cron's five fields; NCRONTAB's six start with seconds, which must be 0.</summary>
    private static string CronOf(string ncrontab)
    {
        var fields = ncrontab.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(fields is ["0", _, _, _, _, _], $"'{ncrontab}' does not run on whole minutes: Cloud Scheduler cannot run it");
        return string.Join(' ', fields[1..]);
    }

    private static double Seconds(string duration) => double.Parse(duration.TrimEnd('s'), System.Globalization.CultureInfo.InvariantCulture);

    private static string[] List(string? value) => value?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
}

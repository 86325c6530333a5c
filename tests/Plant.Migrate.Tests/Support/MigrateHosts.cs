using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Plant.Core.Migrations;
using Plant.Hosting;
using Plant.Testing;
using Plant.Testing.Hosting;

namespace Plant.Migrate.Tests.Support;

/// <summary>The Migrate app in a real host, with a test migration set, and calls to its routes and timer.</summary>
internal static class MigrateHosts
{
    public const string TimerPath = "/admin/functions/MigrateOnSchedule";

    /// <summary>The Migrate app as deployed, except for its migrations.</summary>
    public static FunctionApp App(MigrationSet? migrations)
    {
        var app = MigrateApp.Definition;
        return migrations is null
            ? app
            : new FunctionApp(app.Name, app.FunctionTypes, (services, configuration) =>
            {
                app.ConfigureServices(services, configuration);
                services.AddSingleton(migrations);
            }, app.Json) { DefaultSettings = app.DefaultSettings };
    }

    /// <summary>
    /// A host in <paramref name="environment"/> without backups unless the settings ask for one (prod refuses
    /// none: its tests configure pg_dump or the Cloud SQL fake).
    /// </summary>
    public static Task<TestHost> StartAsync(string connectionString, MigrationSet? migrations, string environment, IDictionary<string, string?>? settings = null)
    {
        // The app signs the audit checkpoints of its retention purge: outside local it needs a key.
        var all = TestSigningKeys.Settings.ToDictionary(s => s.Key, s => (string?)s.Value);
        all["PLANT_ENVIRONMENT"] = environment;
        if (environment != "prod")
        {
            all["PLANT_BACKUP"] = "none";
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return TestHost.StartAsync(connectionString, App(migrations), all);
    }

    /// <summary>Runs MigrateOnSchedule as Cloud Scheduler does.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> RunTimerAsync(TestHost host, string? job = null, string? scheduleTime = null)
    {
        using var request = TestHost.Request(HttpMethod.Post, TimerPath, TestHost.MasterKey);
        if (job is not null)
        {
            request.Headers.Add("X-CloudScheduler-JobName", job);
            request.Headers.Add("X-CloudScheduler-ScheduleTime", scheduleTime);
        }

        using var response = await host.Client.SendAsync(request);
        return (response.StatusCode, await ReadAsync(response));
    }

    /// <summary>Sends JSON (or nothing) to a route with the master key.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(TestHost host, string path, object? body = null, string key = TestHost.MasterKey)
    {
        using var request = TestHost.Request(HttpMethod.Post, path, key);
        if (body is not null)
        {
            request.Content = TestJson.Content(body);
        }

        using var response = await host.Client.SendAsync(request);
        return (response.StatusCode, await ReadAsync(response));
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(TestHost host, string path, string key = TestHost.MasterKey)
    {
        using var response = await host.Client.SendAsync(TestHost.Request(HttpMethod.Get, path, key));
        return (response.StatusCode, await ReadAsync(response));
    }

    /// <summary>The plan's checksum as <c>POST /plan</c> gives it.</summary>
    public static async Task<string> PlanChecksumAsync(TestHost host, int? target = null)
    {
        var (status, body) = await PostAsync(host, "/api/v1/migrations/plan", target is null ? null : new { target });
        Assert.Equal(HttpStatusCode.OK, status);
        return body.GetProperty("planChecksum").GetString()!;
    }

    /// <summary>Approves a plan and returns the approval's id.</summary>
    public static async Task<Guid> ApproveAsync(TestHost host, int? target = null)
    {
        var checksum = await PlanChecksumAsync(host, target);
        var (status, body) = await PostAsync(host, "/api/v1/migrations/approvals", new { planChecksum = checksum, approvedBy = "Ada Operator", target });
        Assert.True(status == HttpStatusCode.Created, body.ToString());
        return body.GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (text.Length == 0)
        {
            return default;
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}

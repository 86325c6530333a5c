using System.Net;
using System.Text.Json;
using Plant.Hosting;
using Xunit;

namespace Plant.Testing.Hosting;

/// <summary>
/// A database migrated and seeded by its owner (as the Migrate app does), and a function app serving it as a login
/// that is a member of plant_app and nothing else, as in production (docs/AUDIT.md, "Database users").
/// </summary>
public abstract class AppAsApplicationFixture(string prefix) : PostgresDatabaseFixture(prefix)
{
    public ApplicationLogin Login { get; private set; } = null!;

    public TestHost Host { get; private set; } = null!;

    /// <summary>The app the login runs.</summary>
    protected abstract FunctionApp App { get; }

    /// <summary>Settings for the host beyond the test defaults.</summary>
    protected virtual IDictionary<string, string?>? Settings => null;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await TestCatalog.MigrateAndSeedAsync(DataSource);
        await PrepareAsOwnerAsync();
        Login = await ApplicationLogin.CreateAsync();
        Host = await TestHost.StartAsync(Login.ConnectionStringFor(ConnectionString), App, Settings);
        await StartedAsync();
    }

    public override async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await base.DisposeAsync();
        await Login.DisposeAsync();
    }

    /// <summary>Sends <paramref name="request"/>, asserts its status, and returns the JSON body.</summary>
    public async Task<JsonElement> ExpectAsync(HttpRequestMessage request, HttpStatusCode expected)
    {
        using var response = await Host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Runs as the owner after the seed, before the host starts.</summary>
    protected virtual Task PrepareAsOwnerAsync() => Task.CompletedTask;

    /// <summary>Runs once the host has started.</summary>
    protected virtual Task StartedAsync() => Task.CompletedTask;
}

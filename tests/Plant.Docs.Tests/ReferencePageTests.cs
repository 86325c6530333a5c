using System.Diagnostics;
using System.Text.Json.Nodes;
using Plant.Docs.Tests.Support;
using PuppeteerSharp;

namespace Plant.Docs.Tests;

/// <summary>
/// The API reference page at <c>/docs</c>, in Debian's Chromium, headless: every operation of every app is listed,
/// a call tried from the page with a key succeeds, and the page needs nothing but this host.
/// </summary>
[Collection(LocalPlantCollection.Name)]
public sealed class ReferencePageTests(LocalPlant plant) : IAsyncLifetime
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    private readonly List<string> _requested = [];
    private IBrowser? _browser;
    private IPage? _page;

    private IPage Page => _page ?? throw new InvalidOperationException("Not initialized.");

    public async Task InitializeAsync()
    {
        _browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = ChromiumPath(),
            Headless = true,
            // As root (CI) Chromium needs --no-sandbox; the rest keep it from calling Google's hosts, which this
            // machine's network refuses.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
        _page = await _browser.NewPageAsync();
        _page.DefaultTimeout = (int)s_wait.TotalMilliseconds;
        _page.Request += (_, e) =>
        {
            lock (_requested)
            {
                _requested.Add(e.Request.Url);
            }
        };
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
            _browser.Dispose();
        }
    }

    [Fact]
    public async Task Every_operation_of_every_app_is_listed()
    {
        await Page.GoToAsync(new Uri(plant.Address, "/docs").ToString(), WaitUntilNavigation.Networkidle0);
        foreach (var app in LocalPlant.Apps)
        {
            var expected = OperationIds(await plant.DocumentAsync(app));
            await Page.SelectAsync("#select", $"/openapi/{app.ToLowerInvariant()}.json");
            await Page.WaitForFunctionAsync(
                "(title) => document.querySelector('.info .title')?.textContent.includes(title)", new WaitForFunctionOptions { Timeout = 30_000 }, $"Plant {app}");
            var listed = await Page.EvaluateFunctionAsync<string[]>(
                "() => [...document.querySelectorAll('.opblock .opblock-summary-operation-id')].map(e => e.textContent.trim())");
            Assert.Equal(expected.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        }

        AssertOnlyThisHost();
    }

    [Fact]
    public async Task A_call_tried_from_the_page_with_a_function_key_succeeds()
    {
        await Page.GoToAsync(new Uri(plant.Address, "/docs").ToString(), WaitUntilNavigation.Networkidle0);
        await Page.SelectAsync("#select", "/openapi/agents.json");
        await Page.WaitForSelectorAsync("#operations-Agents-ListAgents");

        // Authorize with the local function key, as a portal developer would paste it.
        await Page.ClickAsync(".auth-wrapper .authorize");
        var input = await Page.WaitForSelectorAsync(".auth-container input[type=text]");
        await input.TypeAsync(plant.FunctionKey);
        await Page.ClickAsync(".auth-container .auth-btn-wrapper .authorize");
        await Page.ClickAsync(".btn-done");

        // Open List agents (try-it-out is on by default), execute, and read the answer the page shows.
        await Page.ClickAsync("#operations-Agents-ListAgents .opblock-summary-control");
        var execute = await Page.WaitForSelectorAsync("#operations-Agents-ListAgents .execute");
        await execute.ClickAsync();
        var status = await Page.WaitForSelectorAsync("#operations-Agents-ListAgents .live-responses-table tbody .response-col_status");
        Assert.Equal("200", (await status.EvaluateFunctionAsync<string>("e => e.textContent")).Trim());
        var body = await Page.EvaluateFunctionAsync<string>(
            "() => document.querySelector('#operations-Agents-ListAgents .live-responses-table tbody .response-col_description pre').textContent");
        Assert.NotEmpty(JsonNode.Parse(body)!["items"]!.AsArray());
        AssertOnlyThisHost();
    }

    private static IEnumerable<string> OperationIds(JsonObject document) =>
        document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()).Select(m => (string)m.Value!["operationId"]!);

    /// <summary>No CDN, no font service: every request the page made went to this host.</summary>
    private void AssertOnlyThisHost()
    {
        lock (_requested)
        {
            Assert.NotEmpty(_requested);
            Assert.All(_requested, url => Assert.True(new Uri(url).Host == plant.Address.Host || url.StartsWith("data:", StringComparison.Ordinal), url));
        }
    }

    /// <summary>Debian's Chromium, installed by scripts/test-tools.sh (./plant test runs it).</summary>
    private static string ChromiumPath()
    {
        var info = new ProcessStartInfo("bash", ["-c", "command -v chromium"]) { RedirectStandardOutput = true };
        using var process = Process.Start(info)!;
        var path = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return path.Length > 0 ? path : throw new InvalidOperationException("Chromium is missing: run scripts/test-tools.sh (as root) or ./plant test.");
    }
}

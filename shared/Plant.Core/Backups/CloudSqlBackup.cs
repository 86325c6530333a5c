using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Plant.Core.Configuration;

namespace Plant.Core.Backups;

/// <summary>
/// An on-demand Cloud SQL backup through the Cloud SQL Admin API: <c>POST v1/projects/{project}/instances/{instance}/backupRuns</c>,
/// then <c>GET v1/projects/{project}/operations/{operation}</c> until the operation is <c>DONE</c>. An error in the
/// answer or in the finished operation fails the backup, and so the run, before any script runs.
/// </summary>
/// <remarks>
/// Cloud SQL cannot run on these machines: the tests run this class against a local fake of the API and of the
/// metadata server (tests/Plant.Migrate.Tests/Backups/FakeCloudSql.cs), over real HTTP.
/// </remarks>
public sealed class CloudSqlBackup : IDatabaseBackup
{
    private readonly HttpClient _http;
    private readonly CloudSqlInstanceName _instance;
    private readonly Uri _api;
    private readonly IAccessTokenSource _tokens;
    private readonly CloudSqlBackupOptions _options;

    /// <param name="http">The client for the Admin API.</param>
    /// <param name="instance">The instance to back up.</param>
    /// <param name="api">The API's root, <c>https://sqladmin.googleapis.com/</c>.</param>
    /// <param name="tokens">Where the bearer token comes from (the metadata server in production).</param>
    /// <param name="options">Polling and timeout; defaults when null.</param>
    public CloudSqlBackup(HttpClient http, CloudSqlInstanceName instance, Uri api, IAccessTokenSource tokens, CloudSqlBackupOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(tokens);
        _http = http;
        _instance = instance;
        _api = api.AbsoluteUri.EndsWith('/') ? api : new Uri(api.AbsoluteUri + "/");
        _tokens = tokens;
        _options = options ?? new CloudSqlBackupOptions();
    }

    /// <inheritdoc/>
    public string Kind => "cloudsql";

    /// <inheritdoc/>
    public async Task<BackupResult> BackupAsync(BackupRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clock = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.Timeout);
        var project = Uri.EscapeDataString(_instance.Project);
        try
        {
            var body = new BackupRunBody($"plant {request.Description} (run {request.RunId})");
            var operation = await SendAsync(HttpMethod.Post, $"v1/projects/{project}/instances/{Uri.EscapeDataString(_instance.Instance)}/backupRuns", body, timeout.Token);
            var delay = _options.PollInterval;
            while (operation.Status != "DONE")
            {
                await Task.Delay(delay, timeout.Token);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxPollInterval.Ticks));
                operation = await SendAsync(HttpMethod.Get, $"v1/projects/{project}/operations/{Uri.EscapeDataString(operation.Name)}", null, timeout.Token);
            }

            if (operation.Errors.Count > 0)
            {
                throw new BackupException($"The Cloud SQL backup of {_instance} failed (operation {operation.Name}): {string.Join("; ", operation.Errors)}.");
            }

            var location = $"cloudsql {_instance}, operation {operation.Name}" + (operation.BackupId is { } id ? $", backup {id}" : "");
            return new BackupResult(Kind, location, null, clock.ElapsedMilliseconds, []);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new BackupException($"The Cloud SQL backup of {_instance} did not finish within {_options.Timeout.TotalMinutes:0.#} minutes; it may still complete in Cloud SQL.");
        }
    }

    private async Task<Operation> SendAsync(HttpMethod method, string path, BackupRunBody? body, CancellationToken ct)
    {
        var token = await _tokens.GetTokenAsync(ct);
        using var request = new HttpRequestMessage(method, new Uri(_api, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, BackupsJsonContext.Default.BackupRunBody);
        }

        string text;
        System.Net.HttpStatusCode status;
        try
        {
            using var response = await _http.SendAsync(request, ct);
            status = response.StatusCode;
            text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new BackupException($"The Cloud SQL Admin API answered {(int)status} to {method} {path}: {GoogleError(text)}.");
            }
        }
        catch (HttpRequestException e)
        {
            throw new BackupException($"The Cloud SQL Admin API at {_api.Host} could not be reached ({e.HttpRequestError}).", e);
        }

        try
        {
            return Operation.Parse(text);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new BackupException($"The Cloud SQL Admin API answered {method} {path} with something that is not an operation.", e);
        }
    }

    /// <summary>Google's error body, <c>{"error": {"code", "message", "status"}}</c>, as one line; the status code alone otherwise.</summary>
    private static string GoogleError(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var error = document.RootElement.GetProperty("error");
            var status = error.TryGetProperty("status", out var s) ? s.GetString() : null;
            var message = error.TryGetProperty("message", out var m) ? m.GetString() : null;
            return $"{status ?? "error"}: {message ?? "(no message)"}";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "(no error details)";
        }
    }

    /// <summary>The body of <c>POST .../backupRuns</c>.</summary>
    internal sealed record BackupRunBody(string Description);

    /// <summary>The parts of a Cloud SQL operation this needs.</summary>
    private sealed record Operation(string Name, string Status, IReadOnlyList<string> Errors, string? BackupId)
    {
        public static Operation Parse(string json)
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var errors = new List<string>();
            if (root.TryGetProperty("error", out var error) && error.TryGetProperty("errors", out var list))
            {
                foreach (var item in list.EnumerateArray())
                {
                    var code = item.TryGetProperty("code", out var c) ? c.GetString() : null;
                    var message = item.TryGetProperty("message", out var m) ? m.GetString() : null;
                    errors.Add($"{code ?? "ERROR"}: {message ?? "(no message)"}");
                }
            }

            var backupId = root.TryGetProperty("backupContext", out var context) && context.TryGetProperty("backupId", out var id)
                ? id.ValueKind == JsonValueKind.String ? id.GetString() : id.GetRawText()
                : null;
            return new Operation(root.GetProperty("name").GetString()!, root.GetProperty("status").GetString()!, errors, backupId);
        }
    }
}

/// <summary>How <see cref="CloudSqlBackup"/> waits for its operation.</summary>
public sealed record CloudSqlBackupOptions
{
    /// <summary>The first wait between polls; it doubles up to <see cref="MaxPollInterval"/>.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the whole backup may take (<c>PLANT_BACKUP_TIMEOUT_MINUTES</c>).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);
}

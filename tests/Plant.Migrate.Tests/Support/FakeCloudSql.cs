using Plant.Testing;
using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Plant.Migrate.Tests.Support;

/// <summary>
/// A local stand-in, over real HTTP on 127.0.0.1, for the two Google endpoints a Cloud SQL backup uses: the metadata
/// server's token endpoint and the Cloud SQL Admin API's backupRuns.insert and operations.get. Cloud SQL cannot run
/// on these machines; the fake answers as the API documents: the insert returns a PENDING operation, polling moves
/// it through RUNNING to DONE, and errors come as Google's error bodies or in the operation's <c>error</c>.
/// </summary>
internal sealed class FakeCloudSql : IAsyncDisposable
{
    public const string Project = "plant-test";
    public const string Region = "europe-west1";
    public const string Instance = "plant-db";
    public const string ConnectionName = $"{Project}:{Region}:{Instance}";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _polls = new();
    private int _tokens;

    private FakeCloudSql(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary><c>host:port</c>, as GCE_METADATA_HOST takes it.</summary>
    public string MetadataHost => $"{BaseAddress.Host}:{BaseAddress.Port}";

    /// <summary>How many GETs of an operation it takes to reach DONE (0: the insert answers DONE at once).</summary>
    public int PollsUntilDone { get; set; }

    /// <summary>When set, the finished operation carries this error (code, message).</summary>
    public (string Code, string Message)? OperationError { get; set; }

    /// <summary>When set, the insert answers this status with a Google error body.</summary>
    public HttpStatusCode? InsertFailure { get; set; }

    /// <summary>The descriptions of the backup runs asked for, in order.</summary>
    public ConcurrentQueue<string> BackupRuns { get; } = new();

    /// <summary>The Authorization header of every Admin API request.</summary>
    public ConcurrentQueue<string?> Authorizations { get; } = new();

    public int TokensIssued => Volatile.Read(ref _tokens);

    /// <summary>The settings that point the Migrate app's Cloud SQL backup at this fake.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["PLANT_BACKUP"] = "cloudsql",
        ["PLANT_CLOUDSQL_INSTANCE"] = ConnectionName,
        ["PLANT_CLOUDSQL_API_URL"] = BaseAddress.ToString(),
        ["GCE_METADATA_HOST"] = MetadataHost,
    };

    public static async Task<FakeCloudSql> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeCloudSql(app);
        fake.Map(app);
        await app.StartAsync();
        fake.BaseAddress = new Uri(app.Urls.First() + "/");
        return fake;
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/computeMetadata/v1/instance/service-accounts/default/token", (HttpRequest request) =>
            request.Headers["Metadata-Flavor"] != "Google"
                ? Results.StatusCode(StatusCodes.Status403Forbidden)
                : Results.Json(new Dictionary<string, object>
                {
                    ["access_token"] = $"fake-token-{Interlocked.Increment(ref _tokens)}",
                    ["expires_in"] = 3599,
                    ["token_type"] = "Bearer",
                }, TestJson.Options));

        app.MapPost("/v1/projects/{project}/instances/{instance}/backupRuns", async (HttpRequest request, string project, string instance) =>
        {
            Authorizations.Enqueue(request.Headers.Authorization);
            if (!IsAuthorized(request))
            {
                return GoogleError(HttpStatusCode.Unauthorized, "UNAUTHENTICATED", "Request had invalid authentication credentials.");
            }

            if (project != Project || instance != Instance)
            {
                return GoogleError(HttpStatusCode.NotFound, "NOT_FOUND", "The Cloud SQL instance does not exist.");
            }

            if (InsertFailure is { } failure)
            {
                return GoogleError(failure, "PERMISSION_DENIED", "The client is not authorized to make this request.");
            }

            using var body = await JsonDocument.ParseAsync(request.Body);
            BackupRuns.Enqueue(body.RootElement.GetProperty("description").GetString()!);
            var name = Guid.NewGuid().ToString();
            _polls[name] = 0;
            return Results.Json(Operation(name, PollsUntilDone == 0 ? "DONE" : "PENDING"), TestJson.Options);
        });

        app.MapGet("/v1/projects/{project}/operations/{operation}", (HttpRequest request, string project, string operation) =>
        {
            Authorizations.Enqueue(request.Headers.Authorization);
            if (!IsAuthorized(request))
            {
                return GoogleError(HttpStatusCode.Unauthorized, "UNAUTHENTICATED", "Request had invalid authentication credentials.");
            }

            if (project != Project || !_polls.TryGetValue(operation, out _))
            {
                return GoogleError(HttpStatusCode.NotFound, "NOT_FOUND", "The operation does not exist.");
            }

            var polls = _polls.AddOrUpdate(operation, 1, (_, n) => n + 1);
            return Results.Json(Operation(operation, polls >= PollsUntilDone ? "DONE" : "RUNNING"), TestJson.Options);
        });
    }

    private static bool IsAuthorized(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer fake-token-", StringComparison.Ordinal);

    private Dictionary<string, object?> Operation(string name, string status)
    {
        var operation = new Dictionary<string, object?>
        {
            ["kind"] = "sql#operation",
            ["name"] = name,
            ["status"] = status,
            ["operationType"] = "BACKUP_VOLUME",
            ["targetId"] = Instance,
            ["targetProject"] = Project,
        };
        if (status == "DONE" && OperationError is { } error)
        {
            operation["error"] = new { kind = "sql#operationErrors", errors = new[] { new { kind = "sql#operationError", code = error.Code, message = error.Message } } };
        }
        else if (status == "DONE")
        {
            operation["backupContext"] = new { kind = "sql#backupContext", backupId = "1700000000000" };
        }

        return operation;
    }

    private static IResult GoogleError(HttpStatusCode status, string reason, string message) =>
        Results.Json(new { error = new { code = (int)status, message, status = reason } }, TestJson.Options, statusCode: (int)status);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

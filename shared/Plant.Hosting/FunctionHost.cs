using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Constraints;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Npgsql;
using Plant.Hosting.Functions;
using Plant.Hosting.Http;
using Plant.Hosting.Logging;
using Plant.Hosting.OpenApi;
using Plant.Hosting.Timers;

namespace Plant.Hosting;

/// <summary>
/// The function host: serves the <see cref="Microsoft.Azure.Functions.Worker.FunctionAttribute"/> methods of one or more function apps over
/// ASP.NET Core, runs their timers, and answers every error as a problem.
/// </summary>
public static class FunctionHost
{
    /// <summary>
    /// Builds and runs the host until SIGTERM or Ctrl-C; a configuration error is printed and gives exit code 1.
    /// <c>--openapi FILE</c> writes the app's OpenAPI document instead (the build does, beside each app).
    /// </summary>
    public static async Task<int> RunAsync(string[] args, params FunctionApp[] apps)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args is [ApiDocs.WriteArgument, var path])
        {
            return ApiDocs.Write(path, apps);
        }

        WebApplication app;
        try
        {
            app = Build(new FunctionHostOptions { Args = args, Apps = apps });
        }
        catch (StartupException e)
        {
            await Console.Error.WriteLineAsync($"Plant cannot start:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", e.Problems)}");
            return 1;
        }

        await app.RunAsync();
        return 0;
    }

    /// <summary>Builds the host without starting it.</summary>
    /// <exception cref="StartupException">
    /// Settings are missing or wrong (the host's and the apps', every one of them named), or a function is defined wrongly.
    /// </exception>
    public static WebApplication Build(FunctionHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var contentRoot = options.ContentRoot ?? Directory.GetCurrentDirectory();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [.. options.Args],
            EnvironmentName = HostEnvironmentName(options, contentRoot),
        });
        LocalSettings.AddTo(builder.Configuration, contentRoot, options.Settings);
        AddAppDefaults(builder.Configuration, options.Apps);
        SecretFiles.AddTo(builder.Configuration);

        // Every problem with the settings is gathered and reported at once, the host's and each app's.
        var problems = new List<string>();
        var settings = HostSettings.Read(builder.Configuration, options.HostJsonPath ?? Path.Combine(AppContext.BaseDirectory, "host.json"), problems);
        var keys = Gather(problems, () => FunctionKeys.FromSettings(builder.Configuration, settings));
        var tokens = Gather(problems, () => BearerTokens.Load(builder.Configuration));
        var asserters = ActorAsserters.Load(builder.Configuration, settings);
        foreach (var functionApp in options.Apps)
        {
            // An app reads and checks the settings it uses as it registers its services.
            Gather(problems, () => functionApp.ConfigureServices(builder.Services, builder.Configuration));
        }

        var indexed = Gather(problems, () => SelectTargets(FunctionIndexer.Index(options.Apps, builder.Configuration), settings.FunctionTarget));
        if (problems.Count > 0)
        {
            throw new StartupException(problems);
        }

        if (!builder.Services.Any(s => s.ServiceType == typeof(NpgsqlDataSource)))
        {
            throw new StartupException("No function app registered an NpgsqlDataSource: the host keeps its timers' state and answers /readyz with it.");
        }

        // Generated only now that every setting is known to be good: a start-up that fails leaves no key files behind.
        keys ??= FunctionKeys.LoadLocal(settings);
        var functions = indexed!;

        ConfigureLogging(builder.Logging, settings);
        options.ConfigureLogging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Parse(settings.BindAddress), settings.Port);
            kestrel.Limits.MaxRequestBodySize = settings.MaxRequestBodyBytes;
            kestrel.AddServerHeader = false;
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownTimeout);

        var services = builder.Services;
        // Every JSON body and answer goes through source-generated metadata: the apps', then the host's.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, HostJsonContext.ResolverFor(options.Apps)));
        services.AddSingleton(settings).AddSingleton(keys).TryAddSingleton(TimeProvider.System);
        services.AddSingleton(asserters);
        if (tokens is not null)
        {
            services.AddSingleton(tokens);
        }
        // The slim builder leaves out the regex route constraint, which Azure Functions routes may use.
        services.Configure<RouteOptions>(o => o.SetParameterPolicy<RegexInlineRouteConstraint>("regex"));
        services.AddSingleton<FunctionExecutor>().AddSingleton<ReadinessCheck>().AddSingleton<HostStore>().AddSingleton<TimerRunner>();
        var timers = functions.Where(f => f.Timer is not null).ToList();
        if (settings.TimersInProcess && timers.Count > 0)
        {
            services.AddHostedService(sp => ActivatorUtilities.CreateInstance<TimerScheduler>(sp, (IReadOnlyList<FunctionDescriptor>)timers));
        }

        if (settings.RateLimitPerMinute > 0)
        {
            services.AddRateLimiter(o => ConfigureRateLimiting(o, settings.RateLimitPerMinute));
        }

        var app = builder.Build();
        app.UseStatusCodePages(context => WriteStatusProblemAsync(context.HttpContext));
        app.Use(ProblemForUnhandledAsync);
        if (settings.RateLimitPerMinute > 0)
        {
            // The limiter partitions by caller, so a bearer token is verified before it (once: the route reuses the outcome).
            app.Use(async (http, next) =>
            {
                if (KeyIdentity.Get(http) is null && !HealthEndpoints.IsHealthPath(http.Request.Path))
                {
                    await Callers.CheckTokenAsync(http);
                }

                await next(http);
            });
            app.UseRateLimiter();
        }

        if (settings.ApiDocs)
        {
            ApiDocs.Map(app, options.Apps, functions, settings.RoutePrefix);
        }

        HealthEndpoints.Map(app);
        AdminEndpoints.Map(app, functions, settings.RoutePrefix);
        HttpFunctionEndpoints.Map(app, functions, settings.RoutePrefix);
        app.Lifetime.ApplicationStarted.Register(() => StartupBanner.Print(app, functions, settings, keys));
        return app;
    }

    /// <summary>The address the host listens on, once started (tests start it on port 0).</summary>
    public static Uri GetAddress(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>
    /// ASP.NET Core's environment name follows <c>PLANT_ENVIRONMENT</c>, so that no entry point needs its own
    /// <c>ASPNETCORE_ENVIRONMENT</c>: a local run is Development (its start-up log says so, and the service provider
    /// checks scopes), every deployed one (demo, uat, prod) Production. The builder takes the name only when it is
    /// made, so the setting is read here from the same sources, in the same order, before there is a builder.
    /// </summary>
    private static string HostEnvironmentName(FunctionHostOptions options, string contentRoot)
    {
        var early = new ConfigurationManager();
        early.AddEnvironmentVariables().AddCommandLine([.. options.Args]);
        LocalSettings.AddTo(early, contentRoot, options.Settings);
        return HostSettings.IsLocalName(HostSettings.ReadEnvironment(early)) ? Environments.Development : Environments.Production;
    }

    /// <summary>The apps' <see cref="FunctionApp.DefaultSettings"/>, below every other source; the first app to set one wins.</summary>
    private static void AddAppDefaults(ConfigurationManager configuration, IEnumerable<FunctionApp> apps)
    {
        var defaults = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in apps.SelectMany(a => a.DefaultSettings))
        {
            defaults.TryAdd(key, value);
        }

        if (defaults.Count > 0)
        {
            configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = defaults });
        }
    }

    /// <summary>Runs a start-up step; a setting it finds wrong is added to <paramref name="problems"/>.</summary>
    private static T? Gather<T>(List<string> problems, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // An app's own settings exception (Plant.Core's, say) names each setting at fault on a line of its message;
            // the host knows no app's types.
            problems.AddRange(e is StartupException startup ? startup.Problems : e.Message.Split(Environment.NewLine));
            return default;
        }
    }

    private static void Gather(List<string> problems, Action step) => Gather<object?>(problems, () =>
    {
        step();
        return null;
    });

    private static List<FunctionDescriptor> SelectTargets(IReadOnlyList<FunctionDescriptor> functions, IReadOnlyList<string>? targets)
    {
        if (targets is null)
        {
            return [.. functions];
        }

        var unknown = targets.Where(t => !functions.Any(f => f.Name.Equals(t, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknown.Count > 0)
        {
            throw StartupException.Setting("FUNCTION_TARGET",
                $"names no function of this app: {string.Join(", ", unknown)}. Known: {string.Join(", ", functions.Select(f => f.Name))}.");
        }

        return [.. functions.Where(f => targets.Contains(f.Name, StringComparer.OrdinalIgnoreCase))];
    }

    private static void ConfigureLogging(ILoggingBuilder logging, HostSettings settings)
    {
        logging.ClearProviders();
        if (settings.JsonLogs)
        {
            // Made by the container (not AddProvider's instance form) so that disposing the host flushes the last batch.
            logging.Services.AddSingleton<ILoggerProvider>(_ => new CloudLoggingProvider(Console.OpenStandardOutput()));
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        }

        foreach (var (category, level) in settings.HostJson.LogLevels)
        {
            var parsed = Enum.Parse<LogLevel>(level, ignoreCase: true);
            if (category.Equals("default", StringComparison.OrdinalIgnoreCase))
            {
                logging.SetMinimumLevel(parsed);
            }
            else
            {
                logging.AddFilter(category, parsed);
            }
        }

        // ASP.NET Core's request lines carry the query string, where a key may sit in ?code=: never log them.
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
    }

    private static void ConfigureRateLimiting(RateLimiterOptions options, int perMinute)
    {
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
        {
            if (HealthEndpoints.IsHealthPath(http.Request.Path))
            {
                return RateLimitPartition.GetNoLimiter("health");
            }

            // Per key, or per verified token principal; the rest share a budget per client address.
            var partition = KeyIdentity.Get(http) is { } key ? Callers.KeyPrefix + key
                : Callers.VerifiedPrincipal(http) is { } principal ? "token:" + principal
                : "anonymous:" + http.Connection.RemoteIpAddress;
            return RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = perMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            });
        });
        options.OnRejected = (context, _) =>
        {
            if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
            {
                context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return new ValueTask(WriteStatusProblemAsync(context.HttpContext, StatusCodes.Status429TooManyRequests));
        };
    }

    private static Task WriteStatusProblemAsync(HttpContext http, int? status = null)
    {
        var code = status ?? http.Response.StatusCode;
        var (slug, title, detail) = Problems.ForStatus(code, http.Request);
        return Problems.WriteAsync(http, code, slug, title, detail);
    }

    /// <summary>A failure outside any function (the host's own database work, say) is still a problem, with no internals.</summary>
    private static async Task ProblemForUnhandledAsync(HttpContext http, RequestDelegate next)
    {
        try
        {
            await next(http);
        }
        catch (BadHttpRequestException e) when (!http.Response.HasStarted)
        {
            await WriteStatusProblemAsync(http, e.StatusCode);
        }
        catch (Exception e) when (!http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested)
        {
            var traceId = http.TraceIdentifier;
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Plant.Hosting")
                .LogError(e, "Request {TraceId} failed outside a function", traceId);
            http.Response.Clear();
            await Problems.WriteAsync(http, StatusCodes.Status500InternalServerError, Problems.InternalError, "Internal error",
                "The host failed. Quote the trace id when reporting this.", new Dictionary<string, object?> { ["traceId"] = traceId });
        }
    }
}

using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Plant.Deploy.Tests.Support;
using Plant.Hosting;
using Plant.Hosting.Functions;
using Plant.Testing;

namespace Plant.Deploy.Tests;

/// <summary>Each Cloud Run service descriptor (deploy/ENV/APP.yaml) held against the app it deploys.</summary>
public sealed class ServiceDescriptorTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    public static TheoryData<string, string> Services()
    {
        var data = new TheoryData<string, string>();
        foreach (var environment in Descriptors.Environments)
        {
            foreach (var app in Descriptors.Apps)
            {
                data.Add(environment, app);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task A_service_starts_with_exactly_the_settings_its_descriptor_gives_and_answers_its_probes(string environment, string app)
    {
        var service = Descriptors.Service(environment, app);
        var settings = StandIns.Settings(service.Container, database.ConnectionString);
        // What Cloud Run sets itself: K_SERVICE, and PORT (the test's own free port; the descriptor's port is checked against the image).
        settings["K_SERVICE"] = service.Name;
        settings["PORT"] = "0";
        var emptyFolder = Directory.CreateTempSubdirectory("plant-deploy-");

        WebApplication host;
        try
        {
            host = FunctionHost.Build(new FunctionHostOptions
            {
                Apps = [StandIns.App(app)],
                Settings = settings,
                ContentRoot = emptyFolder.FullName,
                HostJsonPath = RepositoryFolder.Path("host.json"),
                ConfigureLogging = logging => logging.ClearProviders(),
            });
        }
        catch (StartupException e)
        {
            Assert.Fail($"{service} does not start with its descriptor's settings:\n  {string.Join("\n  ", e.Problems)}");
            return;
        }
        finally
        {
            emptyFolder.Delete(recursive: true);
        }

        await using (host)
        {
            await host.StartAsync();
            using var client = new HttpClient { BaseAddress = FunctionHost.GetAddress(host) };
            foreach (var kind in new[] { "startupProbe", "livenessProbe" })
            {
                var probe = service.Container.Probe(kind);
                Assert.True(probe is not null, $"{service} has no {kind}");
                Assert.Equal(service.Container.Port, probe.Value.Port);
                using var response = await client.GetAsync(probe.Value.Path);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{service}: {kind} GET {probe.Value.Path} answered {(int)response.StatusCode}");
            }

            await host.StopAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void A_service_runs_this_commit_s_image_of_its_app_on_the_image_s_port_within_the_function_timeout(string environment, string app)
    {
        var service = Descriptors.Service(environment, app);

        Assert.Equal($"plant-{app}-{environment}", service.Name);
        Assert.Equal($"{Descriptors.Variables["REGISTRY"]}/{app}:{Descriptors.Variables["IMAGE_TAG"]}", service.Container.Image);
        Assert.Equal(ImagePort(), service.Container.Port);
        Assert.True(service.TimeoutSeconds > Descriptors.FunctionTimeout.TotalSeconds,
            $"{service}: timeoutSeconds {service.TimeoutSeconds} is shorter than host.json's functionTimeout {Descriptors.FunctionTimeout}");
        Descriptors.AssertReachesItsDatabase(service.TemplateAnnotations);
        Assert.Equal(environment, service.Container.Values["PLANT_ENVIRONMENT"]);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Agents_is_public_and_Genesis_and_Migrate_take_only_invokers(string environment, string app)
    {
        var service = Descriptors.Service(environment, app);

        Assert.Equal("all", service.Annotations["run.googleapis.com/ingress"]);
        Assert.Equal(app != "agents", service.BehindIam);
        if (!service.BehindIam)
        {
            Assert.Equal("true", service.Annotations["run.googleapis.com/invoker-iam-disabled"]);
        }

        Assert.Equal("true", service.TemplateAnnotations["run.googleapis.com/startup-cpu-boost"]);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Demo_scales_to_zero_and_every_service_has_a_ceiling(string environment, string app)
    {
        var annotations = Descriptors.Service(environment, app).TemplateAnnotations;
        var min = int.Parse(annotations["autoscaling.knative.dev/minScale"]);
        var max = int.Parse(annotations["autoscaling.knative.dev/maxScale"]);

        if (environment == "demo")
        {
            Assert.Equal(0, min);
        }

        Assert.InRange(max, Math.Max(1, min), 100);
    }

    /// <summary>The port the image's process listens on: the Dockerfile's PORT, which it also exposes.</summary>
    private static int ImagePort()
    {
        var dockerfile = File.ReadAllText(RepositoryFolder.Path("Dockerfile"));
        var port = Regex.Match(dockerfile, @"^ENV PORT=(\d+)", RegexOptions.Multiline).Groups[1].Value;
        Assert.Matches($@"(?m)^EXPOSE {port}$", dockerfile);
        return int.Parse(port);
    }
}

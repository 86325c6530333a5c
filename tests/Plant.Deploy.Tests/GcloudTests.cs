using Plant.Deploy.Tests.Support;

namespace Plant.Deploy.Tests;

/// <summary>
/// gcloud reads every descriptor as it would for a real project, up to where it needs an account: it parses the
/// service and job YAML into the Cloud Run API's own message types (a field the API does not have, or a value of the
/// wrong type, is an error) and each flag file into its command's flags. It runs with a configuration of its own,
/// without an account, so it never reaches Google. What only a real project checks is in the README ("Deploy").
/// </summary>
public sealed class GcloudTests : IDisposable
{
    private const string NoAccount = "You do not currently have an active account selected";

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("plant-gcloud-");

    public static TheoryData<string> Environments() => [.. Descriptors.Environments];

    [Theory]
    [MemberData(nameof(Environments))]
    public void Gcloud_reads_every_descriptor_of_an_environment(string environment)
    {
        var region = Descriptors.Variables["REGION"];
        foreach (var app in Descriptors.Apps)
        {
            AssertRead(["run", "services", "replace", Rendered(environment, $"{app}.yaml"), "--region", region]);
        }

        AssertRead(["run", "jobs", "replace", Rendered(environment, "migrate-job.yaml"), "--region", region]);
        foreach (var name in Descriptors.Flags(environment, "scheduler").Keys)
        {
            var flags = Rendered(environment, $"scheduler/{name}.yaml");
            AssertRead(["scheduler", "jobs", "create", "http", name, $"--flags-file={flags}"]);
            AssertRead(["scheduler", "jobs", "update", "http", name, $"--flags-file={flags}"]);
        }

        foreach (var app in Descriptors.Flags(environment, "domains").Keys)
        {
            AssertRead(["beta", "run", "domain-mappings", "create", $"--flags-file={Rendered(environment, $"domains/{app}.yaml")}"]);
        }
    }

    [Fact]
    public void Gcloud_refuses_a_service_with_a_field_the_API_does_not_have()
    {
        var file = Path.Combine(_folder.FullName, "bad.yaml");
        File.WriteAllText(file, Descriptors.Render("demo", "agents.yaml").Replace("containerConcurrency:", "containerConcurency:", StringComparison.Ordinal));

        var (_, _, error) = Gcloud(["run", "services", "replace", file, "--region", Descriptors.Variables["REGION"]]);

        Assert.Contains("Failed to parse", error, StringComparison.Ordinal);
        Assert.Contains("containerConcurency", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Gcloud_refuses_a_flag_file_with_a_flag_the_command_does_not_have()
    {
        var file = Path.Combine(_folder.FullName, "bad.yaml");
        File.WriteAllText(file, Descriptors.Render("demo", "scheduler/plant-purge-expired-data-demo.yaml") + "--oidc-audience: https://elsewhere\n");

        var (_, _, error) = Gcloud(["scheduler", "jobs", "create", "http", "plant-purge-expired-data-demo", $"--flags-file={file}"]);

        Assert.DoesNotContain(NoAccount, error, StringComparison.Ordinal);
        Assert.Contains("--oidc-audience", error, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private string Rendered(string environment, string descriptor)
    {
        var file = Path.Combine(_folder.FullName, $"{environment}-{descriptor.Replace('/', '-')}");
        File.WriteAllText(file, Descriptors.Render(environment, descriptor));
        return file;
    }

    /// <summary>gcloud read everything and stopped only for want of an account.</summary>
    private void AssertRead(string[] args)
    {
        var (exitCode, _, error) = Gcloud(args);
        Assert.True(exitCode != 0 && error.Contains(NoAccount, StringComparison.Ordinal), $"gcloud {string.Join(' ', args)}:\n{error}");
    }

    private (int ExitCode, string Output, string Error) Gcloud(string[] args)
    {
        try
        {
            return Processes.Run("gcloud", [.. args, "--project", Descriptors.Variables["PROJECT_ID"]], new Dictionary<string, string>
            {
                ["CLOUDSDK_CONFIG"] = Path.Combine(_folder.FullName, "config"),
                ["CLOUDSDK_CORE_DISABLE_PROMPTS"] = "1",
                ["CLOUDSDK_CORE_CHECK_GCE_METADATA"] = "false",
                ["CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK"] = "1",
                ["CLOUDSDK_CORE_DISABLE_USAGE_REPORTING"] = "true",
            });
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("gcloud is not installed: https://cloud.google.com/sdk/docs/install", e);
        }
    }
}

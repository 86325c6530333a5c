using System.Globalization;
using System.Text.Json;
using Plant.Testing;
using YamlDotNet.RepresentationModel;

namespace Plant.Deploy.Tests.Support;

/// <summary>
/// The descriptors under deploy/, each rendered by <c>deploy/deploy.sh ENV render FILE</c> (the script's own path)
/// with sample values for its variables, and read as YAML.
/// </summary>
internal static class Descriptors
{
    public static readonly string[] Environments = ["demo", "uat", "prod"];

    public static readonly string[] Apps = ["genesis", "agents", "migrate"];

    /// <summary>What the workflow takes from a GitHub environment's variables; the values are samples.</summary>
    public static readonly IReadOnlyDictionary<string, string> Variables = new Dictionary<string, string>
    {
        ["PROJECT_ID"] = "plant-test",
        ["REGION"] = "europe-west1",
        ["DOMAIN"] = "plant.example",
        ["REGISTRY"] = "europe-west1-docker.pkg.dev/plant-test/plant",
        ["IMAGE_TAG"] = "0123abc",
        ["CUSTOMER_PORTAL_SA"] = "customer-portal@portals-test.iam.gserviceaccount.com",
        ["PARTNER_PORTAL_SA"] = "partner-portal@portals-test.iam.gserviceaccount.com",
    };

    public static string Folder => RepositoryFolder.Path("deploy");

    /// <summary>host.json's functionTimeout: how long a function may run before the host answers 504.</summary>
    public static TimeSpan FunctionTimeout
    {
        get
        {
            using var hostJson = JsonDocument.Parse(File.ReadAllText(RepositoryFolder.Path("host.json")));
            return TimeSpan.Parse(hostJson.RootElement.GetProperty("functionTimeout").GetString()!, CultureInfo.InvariantCulture);
        }
    }

    public static ServiceDescriptor Service(string environment, string app) => new(environment, app, Load($"{app}.yaml", environment));

    public static IEnumerable<ServiceDescriptor> AllServices() =>
        from environment in Environments from app in Apps select Service(environment, app);

    public static JobDescriptor Job(string environment) => new(environment, Load("migrate-job.yaml", environment));

    /// <summary>The flag files of one folder (scheduler, domains): file name without .yaml → the flags it sets.</summary>
    public static Dictionary<string, Dictionary<string, string>> Flags(string environment, string folder) =>
        Directory.EnumerateFiles(Path.Combine(Folder, environment, folder), "*.yaml")
            .Order(StringComparer.Ordinal)
            .ToDictionary(
                f => Path.GetFileNameWithoutExtension(f),
                f => Load(Path.Combine(folder, Path.GetFileName(f)), environment).Children
                    .ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value!, StringComparer.Ordinal),
                StringComparer.Ordinal);

    /// <summary>
    /// The annotations that reach the environment's instance, which has only a private IP: Direct VPC egress on the
    /// network the README's set-up peers with Cloud SQL (DATABASE_URL names the private IP).
    /// </summary>
    public static void AssertReachesItsDatabase(IReadOnlyDictionary<string, string> annotations)
    {
        Assert.Equal("""[{"network":"default","subnetwork":"default"}]""", annotations["run.googleapis.com/network-interfaces"]);
        Assert.Equal("private-ranges-only", annotations["run.googleapis.com/vpc-access-egress"]);
    }

    /// <summary>A descriptor with its variables filled in, as deploy.sh hands it to gcloud.</summary>
    public static string Render(string environment, string file)
    {
        var (exitCode, output, error) = Processes.Run("bash", [Path.Combine(Folder, "deploy.sh"), environment, "render", file], Variables);
        Assert.True(exitCode == 0, $"deploy.sh {environment} render {file}: {error}");
        return output;
    }

    private static YamlMappingNode Load(string file, string environment)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(Render(environment, file)));
        return (YamlMappingNode)Assert.Single(yaml.Documents).RootNode;
    }
}

/// <summary>A Cloud Run service (Knative serving v1 YAML).</summary>
internal sealed record ServiceDescriptor(string Environment, string App, YamlMappingNode Root)
{
    private YamlMappingNode Template => Root.Map("spec").Map("template");

    public string Name => Root.Map("metadata").Scalar("name");

    public IReadOnlyDictionary<string, string> Annotations => Root.Map("metadata").Strings("annotations");

    public IReadOnlyDictionary<string, string> TemplateAnnotations => Template.Map("metadata").Strings("annotations");

    public string ServiceAccount => Template.Map("spec").Scalar("serviceAccountName");

    public int TimeoutSeconds => int.Parse(Template.Map("spec").Scalar("timeoutSeconds"));

    public ContainerDescriptor Container => new((YamlMappingNode)Assert.Single(Template.Map("spec").List("containers")));

    /// <summary>Whether Cloud Run checks every caller's ID token itself (no public access).</summary>
    public bool BehindIam => Annotations.GetValueOrDefault("run.googleapis.com/invoker-iam-disabled") != "true";

    public override string ToString() => $"{Environment}/{App}";
}

/// <summary>A Cloud Run job (run.googleapis.com/v1 YAML).</summary>
internal sealed record JobDescriptor(string Environment, YamlMappingNode Root)
{
    private YamlMappingNode TaskSpec => Root.Map("spec").Map("template").Map("spec").Map("template").Map("spec");

    public IReadOnlyDictionary<string, string> TemplateAnnotations => Root.Map("spec").Map("template").Map("metadata").Strings("annotations");

    public string Name => Root.Map("metadata").Scalar("name");

    public string ServiceAccount => TaskSpec.Scalar("serviceAccountName");

    public ContainerDescriptor Container => new((YamlMappingNode)Assert.Single(TaskSpec.List("containers")));
}

/// <summary>The one container of a service or job.</summary>
internal sealed record ContainerDescriptor(YamlMappingNode Node)
{
    public string Image => Node.Scalar("image");

    public IReadOnlyList<string> Args => Node.Children.ContainsKey("args") ? [.. Node.List("args").Cast<YamlScalarNode>().Select(s => s.Value!)] : [];

    public int Port => int.Parse(((YamlMappingNode)Assert.Single(Node.List("ports"))).Scalar("containerPort"));

    /// <summary>Settings given as literal values.</summary>
    public IReadOnlyDictionary<string, string> Values => Env()
        .Where(e => e.Children.ContainsKey("value"))
        .ToDictionary(e => e.Scalar("name"), e => e.Scalar("value"));

    /// <summary>Settings taken from Secret Manager: setting → secret name (and the version, which must be given).</summary>
    public IReadOnlyDictionary<string, string> Secrets => Env()
        .Where(e => e.Children.ContainsKey("valueFrom"))
        .ToDictionary(e => e.Scalar("name"), e =>
        {
            var reference = e.Map("valueFrom").Map("secretKeyRef");
            Assert.False(string.IsNullOrEmpty(reference.Scalar("key")), $"{e.Scalar("name")}: a secret reference names its version (key)");
            return reference.Scalar("name");
        });

    public IEnumerable<string> SettingNames => Env().Select(e => e.Scalar("name"));

    /// <summary>An HTTP probe's path and port, or null when the container has no such probe.</summary>
    public (string Path, int Port)? Probe(string kind) =>
        Node.Children.ContainsKey(kind) ? (Node.Map(kind).Map("httpGet").Scalar("path"), int.Parse(Node.Map(kind).Map("httpGet").Scalar("port"))) : null;

    private IEnumerable<YamlMappingNode> Env() => Node.Children.ContainsKey("env") ? Node.List("env").Cast<YamlMappingNode>() : [];
}

internal static class YamlNodes
{
    public static YamlMappingNode Map(this YamlMappingNode node, string key) => (YamlMappingNode)node.Children[key];

    public static YamlSequenceNode List(this YamlMappingNode node, string key) => (YamlSequenceNode)node.Children[key];

    public static string Scalar(this YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[key]).Value!;

    public static IReadOnlyDictionary<string, string> Strings(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var child)
            ? ((YamlMappingNode)child).Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value!)
            : new Dictionary<string, string>();
}

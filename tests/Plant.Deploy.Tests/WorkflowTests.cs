using System.Text.RegularExpressions;
using Plant.Deploy.Tests.Support;
using Plant.Migrate;
using Plant.Testing;
using YamlDotNet.RepresentationModel;

namespace Plant.Deploy.Tests;

/// <summary>The GitHub workflow (.github/workflows/deploy.yml) held against the descriptors and the command lines it drives.</summary>
public sealed class WorkflowTests
{
    private static readonly string s_path = RepositoryFolder.Path(".github", "workflows", "deploy.yml");

    private static readonly string[] s_deployCommands = ["service", "job", "migrate", "scheduler", "domains"];

    [Fact]
    public void The_workflow_passes_the_workflow_linter()
    {
        var (exitCode, output, error) = Lint(s_path);

        Assert.True(exitCode == 0, $"{output}{error}");
    }

    [Fact]
    public void The_linter_refuses_a_workflow_whose_job_needs_a_job_that_does_not_exist()
    {
        var broken = Path.Combine(Directory.CreateTempSubdirectory("plant-workflow-").FullName, "deploy.yml");
        File.WriteAllText(broken, File.ReadAllText(s_path).Replace("needs: images", "needs: imagez", StringComparison.Ordinal));
        try
        {
            var (exitCode, output, error) = Lint(broken);

            Assert.NotEqual(0, exitCode);
            Assert.Contains("unresolved job imagez", output + error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(broken)!, recursive: true);
        }
    }

    [Fact]
    public void Every_deploy_call_is_a_command_deploy_sh_knows_and_every_migration_a_valid_Migrate_command()
    {
        var migrations = new List<string[]>();
        var calls = 0;
        foreach (var script in Steps().Select(s => s.Children.TryGetValue("run", out var run) ? ((YamlScalarNode)run).Value! : null).OfType<string>())
        {
            foreach (Match call in Regex.Matches(script, @"deploy/deploy\.sh[ \t]+(?<rest>[^\n|;&]*)"))
            {
                calls++;
                var words = Words(call.Groups["rest"].Value);
                Assert.True(words.Length >= 2 && s_deployCommands.Contains(words[1]), $"not a deploy.sh command: {call.Value}");
                if (words[1] == "migrate")
                {
                    var args = words[2..];
                    Assert.True(MigrateCommandLine.IsValid(args), $"not a Migrate command: {call.Value}");
                    migrations.Add(args);
                }
            }
        }

        Assert.True(calls > 0);
        // demo and uat apply; prod plans, then approves the plan it printed and applies that.
        Assert.Equal(["approve", "plan", "up"], migrations.Select(a => a[0]).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(migrations, a => a[0] == "approve" && a.Contains("--checksum"));
    }

    [Fact]
    public void The_workflow_builds_and_deploys_exactly_the_apps_the_descriptors_describe_migrating_first()
    {
        var jobs = Workflow().Map("jobs");
        string[] Matrix(string job) => [.. jobs.Map(job).Map("strategy").Map("matrix").List("app").Cast<YamlScalarNode>().Select(s => s.Value!)];

        Assert.Equal(Descriptors.Apps, Matrix("images").Select(a => a.ToLowerInvariant()));
        Assert.All(Matrix("images"), app => Assert.True(Directory.Exists(RepositoryFolder.Path("functions", app)), $"no functions/{app} to build"));
        Assert.Equal(Descriptors.Apps, Matrix("services"));
        Assert.Equal("test", jobs.Map("images").Scalar("needs"));
        Assert.Equal("images", jobs.Map("migrate").Scalar("needs"));
        Assert.Equal("migrate", jobs.Map("services").Scalar("needs"));
        // One service failing stops no other.
        Assert.Equal("false", jobs.Map("services").Map("strategy").Scalar("fail-fast"));
    }

    [Fact]
    public void Demo_and_uat_apply_at_once_and_prod_only_a_plan_approved_by_its_checksum_before_any_service_moves()
    {
        var jobs = Workflow().Map("jobs");
        var steps = jobs.Map("migrate").List("steps").Cast<YamlMappingNode>()
            .Where(s => s.Children.ContainsKey("id"))
            .ToDictionary(s => s.Scalar("id"), s => (If: s.Scalar("if"), Run: s.Scalar("run")));

        Assert.Equal("env.PLANT_ENV != 'prod'", steps["up"].If);
        Assert.Contains("migrate up", steps["up"].Run, StringComparison.Ordinal);
        Assert.Equal("env.PLANT_ENV == 'prod' && inputs.approve == ''", steps["plan"].If);
        Assert.Contains("migrate plan", steps["plan"].Run, StringComparison.Ordinal);
        Assert.DoesNotContain("migrate up", steps["plan"].Run, StringComparison.Ordinal);
        Assert.Equal("env.PLANT_ENV == 'prod' && inputs.approve != ''", steps["apply"].If);
        Assert.Matches(@"migrate approve --checksum ""\$CHECKSUM"".*\n.*migrate up", steps["apply"].Run);
        // The services follow only a database at the schema they expect.
        Assert.Equal("needs.migrate.outputs.ready == 'true'", jobs.Map("services").Scalar("if"));
    }

    [Fact]
    public void The_workflow_reaches_Google_Cloud_through_Workload_Identity_Federation_and_no_key()
    {
        var jobs = Workflow().Map("jobs");
        foreach (var (name, node) in jobs.Children.Select(p => (((YamlScalarNode)p.Key).Value!, (YamlMappingNode)p.Value)))
        {
            var auth = node.Children.TryGetValue("steps", out var steps)
                ? ((YamlSequenceNode)steps).Cast<YamlMappingNode>().Where(s => s.Children.TryGetValue("uses", out var uses) && ((YamlScalarNode)uses).Value!.StartsWith("google-github-actions/auth@", StringComparison.Ordinal)).ToList()
                : [];
            var idToken = node.Children.ContainsKey("permissions") && node.Map("permissions").Children.TryGetValue("id-token", out var grant) && ((YamlScalarNode)grant).Value == "write";
            Assert.True(idToken == auth.Count > 0, $"{name}: an OIDC token is granted exactly to the jobs that sign in to Google Cloud");
            foreach (var step in auth)
            {
                Assert.Equal(["service_account", "workload_identity_provider"], step.Map("with").Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value!).Order(StringComparer.Ordinal));
            }
        }

        Assert.DoesNotContain("credentials_json", File.ReadAllText(s_path), StringComparison.Ordinal);
    }

    private static (int ExitCode, string Output, string Error) Lint(string file) =>
        Processes.Run("bash", [RepositoryFolder.Path("scripts", "lint-workflows.sh"), file]);

    private static YamlMappingNode Workflow()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(s_path)));
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static IEnumerable<YamlMappingNode> Steps() =>
        Workflow().Map("jobs").Children.Values.Cast<YamlMappingNode>()
            .SelectMany(j => j.Children.TryGetValue("steps", out var steps) ? ((YamlSequenceNode)steps).Cast<YamlMappingNode>() : []);

    /// <summary>A command line's words as the shell gives them, with every variable standing for one word ("x").</summary>
    private static string[] Words(string line) =>
        [.. Regex.Matches(line, "\"[^\"]*\"|\\S+").Select(m => Regex.Replace(m.Value.Trim('"'), @"\$\{?\w+\}?", "x"))];
}

using System.Text.RegularExpressions;
using Plant.Deploy.Tests.Support;

namespace Plant.Deploy.Tests;

/// <summary>
/// What keeps one service's trouble from becoming another's: its own account, its own domain and certificate, its
/// own secrets; and what keeps secrets out of the repository.
/// </summary>
public sealed class IsolationTests
{
    [Fact]
    public void Every_service_has_its_own_service_account_and_the_migration_job_runs_as_its_environment_s_Migrate()
    {
        var services = Descriptors.AllServices().ToList();

        Assert.Equal(services.Count, services.Select(s => s.ServiceAccount).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (var environment in Descriptors.Environments)
        {
            Assert.Equal(Descriptors.Service(environment, "migrate").ServiceAccount, Descriptors.Job(environment).ServiceAccount);
            var scheduler = Descriptors.Flags(environment, "scheduler").Values.Select(f => f["--oidc-service-account-email"]).Distinct().Single();
            Assert.DoesNotContain(scheduler, services.Select(s => s.ServiceAccount));
        }
    }

    [Fact]
    public void Every_service_has_its_own_domain_and_certificate_and_accepts_tokens_for_that_domain()
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var environment in Descriptors.Environments)
        {
            var mappings = Descriptors.Flags(environment, "domains");
            Assert.Equal(Descriptors.Apps.Order(StringComparer.Ordinal), mappings.Keys.Order(StringComparer.Ordinal));
            foreach (var (app, flags) in mappings)
            {
                // One mapping per domain, and Cloud Run gives each mapping its own managed certificate: no flag
                // here may name a certificate (or anything else) that another mapping could share.
                Assert.Equal(["--domain", "--region", "--service"], flags.Keys.Order(StringComparer.Ordinal));
                var service = Descriptors.Service(environment, app);
                Assert.Equal(service.Name, flags["--service"]);
                var domain = flags["--domain"];
                Assert.DoesNotContain("*", domain, StringComparison.Ordinal);
                Assert.True(seen.Add(domain), $"{domain} is mapped twice");

                Assert.Contains($"https://{domain}", service.Container.Values["PLANT_TOKEN_AUDIENCES"].Split(','));
                if (service.BehindIam)
                {
                    Assert.Contains($"\"https://{domain}\"", service.Annotations["run.googleapis.com/custom-audiences"], StringComparison.Ordinal);
                }
            }
        }
    }

    [Fact]
    public void Only_a_service_behind_Cloud_Run_s_IAM_check_takes_tokens_without_their_signature()
    {
        foreach (var service in Descriptors.AllServices())
        {
            // cloud-run trusts that Cloud Run checked the signature: on a public service anyone could forge a token.
            var verifiedBy = service.Container.Values.GetValueOrDefault("PLANT_TOKEN_VERIFIED_BY", "plant");
            Assert.True(verifiedBy == (service.BehindIam ? "cloud-run" : "plant"), $"{service}: PLANT_TOKEN_VERIFIED_BY={verifiedBy}, behind IAM: {service.BehindIam}");
        }
    }

    [Fact]
    public void Secrets_come_from_Secret_Manager_each_service_has_its_own_and_no_descriptor_holds_a_secret_value()
    {
        var containers = Descriptors.AllServices().Select(s => (Name: s.ToString(), s.Environment, s.Container))
            .Concat(Descriptors.Environments.Select(e => (Name: $"{e}/migrate-job", Environment: e, Descriptors.Job(e).Container)));
        var owners = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (name, environment, container) in containers)
        {
            foreach (var setting in StandIns.SecretSettings)
            {
                Assert.False(container.Values.ContainsKey(setting), $"{name}: {setting} is a secret; take it from Secret Manager");
            }

            foreach (var (setting, secret) in container.Secrets)
            {
                Assert.Contains(setting, StandIns.SecretSettings);
                Assert.Contains($"-{environment}-", secret, StringComparison.Ordinal);
                var owner = name.Split('/')[1].Replace("-job", "", StringComparison.Ordinal);
                (owners.TryGetValue(secret, out var set) ? set : owners[secret] = []).Add(owner);
            }
        }

        // Shared only where one chain needs one key: Genesis and Migrate sign the same audit trail.
        foreach (var (secret, apps) in owners.Where(o => o.Value.Count > 1))
        {
            Assert.Matches("^plant-(demo|uat|prod)-signing-key$", secret);
            Assert.Equal(["genesis", "migrate"], apps.Order(StringComparer.Ordinal));
        }

        foreach (var file in Directory.EnumerateFiles(Descriptors.Folder, "*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Plant.Testing.RepositoryFolder.Path(".github"), "*", SearchOption.AllDirectories)))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.Ordinal);
            Assert.DoesNotContain("\"private_key\"", text, StringComparison.Ordinal);
            Assert.False(Regex.IsMatch(text, @"[a-z+]+://[^/\s:@]+:[^/\s@]+@"), $"{file} holds a URL with a password");
        }
    }
}

using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Plant.Core.Catalog;
using Plant.Core.Constitution;
using Plant.Core.Seed;

namespace Plant.Genesis.Bench;

/// <summary>
/// L0+L1 validation of one draft with its facts already resolved (the validator's whole job; the facts query is a
/// database round trip measured apart). The drafts are the baseline's, as Genesis receives them: tags and
/// attributes included.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
public class ValidationBenchmarks
{
    private ReferenceFacts _facts = ReferenceFacts.None;
    private AgentDraft _agent = new();
    private JobRoleDraft _jobRole = new();
    private TeamDraft _team = new();
    private AgentDraft _richAgent = new();
    private AgentDraft _brokenAgent = new();

    [GlobalSetup]
    public void Setup()
    {
        _facts = GenesisBaselineDrafts.CertifiedFacts;
        _agent = Draft<AgentDraft>("Sentinel");
        _jobRole = Draft<JobRoleDraft>("Customer Insights Analyst");
        _team = Draft<TeamDraft>("Fraud Response Team");

        // A fuller agent: four tags, nested attributes, a longer description with digits and an '@' to look at.
        _richAgent = _agent with
        {
            Description = _agent.Description + " Covers Visa and Mastercard schemes, 3-D Secure, chargeback reason codes 10.4 and 4837, "
                + "and reports to @fraud-ops every 24 hours with a summary of blocked payments and false positives.",
            Tags = ["fraud", "payments", "real-time", "cards"],
            Attributes = JsonElement.Parse("""{"source": "genesis-baseline", "languages": ["en", "fr", "de"], "sla": {"responseMinutes": 5, "hours": "24/7"}}"""),
        };

        // An agent that breaks eight rules: the cost of reporting violations.
        _brokenAgent = _agent with
        {
            Name = " x",
            Description = "Call +1 415 555 0123.",
            Tags = ["a", "A"],
            Availability = "sometimes",
            PricePerHour = -1m,
            Currency = "usd",
            TeamId = Guid.Parse("0b5d3c1e-7f00-4a4e-9a53-000000000003"),
        };

        if (!ConstitutionValidator.Validate(_agent, _facts).Valid || !ConstitutionValidator.Validate(_richAgent, _facts).Valid
            || !ConstitutionValidator.Validate(_jobRole, _facts).Valid || !ConstitutionValidator.Validate(_team, _facts).Valid
            || ConstitutionValidator.Validate(_brokenAgent, _facts).Violations.Count != 8)
        {
            throw new InvalidOperationException("The benchmark drafts are not what they claim to be.");
        }
    }

    [Benchmark(Baseline = true, Description = "agent (baseline draft)")]
    public ValidationReport Agent() => ConstitutionValidator.Validate(_agent, _facts);

    [Benchmark(Description = "agent, fuller text and nested attributes")]
    public ValidationReport RichAgent() => ConstitutionValidator.Validate(_richAgent, _facts);

    [Benchmark(Description = "job role, 4 required skills")]
    public ValidationReport JobRole() => ConstitutionValidator.Validate(_jobRole, _facts);

    [Benchmark(Description = "team, 3 members")]
    public ValidationReport Team() => ConstitutionValidator.Validate(_team, _facts);

    [Benchmark(Description = "agent breaking 8 rules")]
    public ValidationReport BrokenAgent() => ConstitutionValidator.Validate(_brokenAgent, _facts);

    private static T Draft<T>(string name)
        where T : EntityDraft =>
        (T)GenesisBaselineDrafts.All.Single(e => e.Draft is T && e.Draft.Name == name).Draft;
}

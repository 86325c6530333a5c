using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Plant.Core.Audit;
using Plant.Core.Catalog;
using Plant.Core.Embeddings;
using Plant.Core.Genesis;
using Plant.Core.Signing;
using Plant.Testing;

namespace Plant.Agents.Tests.Support;

/// <summary>
/// Changes the catalog through Plant.Core's Genesis services, the code the Genesis app's routes call (this project
/// does not reference the Genesis app): drafts, amendments, certification with signed certificates, lifecycle
/// changes, each audited.
/// </summary>
public sealed class GenesisWriter : IDisposable
{
    private const string Actor = "agents-tests";

    private static readonly Guid s_financialServices = Seeded.Industry("Financial Services");
    private static readonly Guid s_fraudAnalyst = Seeded.JobRole("Fraud Analyst");
    private static readonly Guid[] s_fraudAnalystSkills =
        [Seeded.Skill("Fraud Detection"), Seeded.Skill("SQL and Data Modeling"), Seeded.Skill("Report Writing")];

    private readonly SigningKeyRing _keys = TestSigningKeys.Ring();

    public GenesisWriter(NpgsqlDataSource dataSource)
    {
        var audit = new AuditTrail(dataSource, _keys, NullLogger<AuditTrail>.Instance);
        Store = new EntityStore(dataSource, new FeatureHashingEmbedder(), audit);
        Certifier = new Certifier(dataSource, _keys, audit);
    }

    public EntityStore Store { get; }

    public Certifier Certifier { get; }

    /// <summary>A Fraud Analyst agent draft that passes the constitution, named <paramref name="name"/>.</summary>
    public static AgentDraft Agent(string name, string description, Guid? team = null) => new()
    {
        Name = name,
        Description = description,
        IndustryId = s_financialServices,
        JobRoleId = s_fraudAnalyst,
        TeamId = team,
        SkillIds = s_fraudAnalystSkills,
        PricePerHour = 55m,
    };

    /// <summary>A Fraud Analyst team draft with these members.</summary>
    public static TeamDraft Team(string name, params Guid[] members) => new()
    {
        Name = name,
        Description = "Fraud analysts who review the alerts of one card portfolio and close them within the hour.",
        JobRoleId = s_fraudAnalyst,
        MemberAgentIds = members,
    };

    /// <summary>Creates a draft; returns its entity id.</summary>
    public async Task<Guid> CreateAsync(EntityDraft draft)
    {
        var result = await Store.CreateAsync(draft, Actor, CancellationToken.None);
        Assert.True(result.Outcome == WriteOutcome.Written, $"{draft.Name}: {result.Outcome} {result.Detail}");
        return result.Entity!.EntityId;
    }

    /// <summary>Amends an entity: a new version, superseding the current one.</summary>
    public async Task<EntityVersion> AmendAsync(Guid id, EntityDraft draft)
    {
        var result = await Store.AmendAsync(draft.EntityType, id, draft, null, Actor, CancellationToken.None);
        Assert.True(result.Outcome == WriteOutcome.Written, $"{draft.Name}: {result.Outcome} {result.Detail}");
        return result.Entity!;
    }

    /// <summary>Certifies the current version; asserts that a certificate was issued.</summary>
    public async Task<EntityVersion> CertifyAsync(EntityType type, Guid id)
    {
        var result = await TryCertifyAsync(type, id);
        Assert.True(result.Outcome == CertifyOutcome.Issued,
            $"{type} {id}: {result.Outcome} {result.Detail} {string.Join("; ", result.Report?.Violations.Select(v => v.RuleId) ?? [])}");
        return result.Entity!;
    }

    public Task<CertifyResult> TryCertifyAsync(EntityType type, Guid id) => Certifier.CertifyAsync(type, id, null, Actor, CancellationToken.None);

    /// <summary>Suspends, reinstates or retires, as the Genesis routes do.</summary>
    public Task<EntityWriteResult> ChangeAsync(EntityType type, Guid id, LifecycleChange change) =>
        Store.ChangeLifecycleAsync(type, id, change, null, Actor, CancellationToken.None);

    /// <summary>
    /// A new team with one new agent, both certified, built as any client of Genesis would: the team as an empty
    /// draft, the agent in it certified, then the team amended to list it and certified.
    /// </summary>
    public async Task<(Guid Agent, Guid Team)> TeamWithAgentAsync(string agentName, string description)
    {
        var teamName = agentName + " Team";
        var team = await CreateAsync(Team(teamName));
        var agent = await CreateAsync(Agent(agentName, description, team));
        await CertifyAsync(EntityType.Agent, agent);
        await AmendAsync(team, Team(teamName, agent));
        await CertifyAsync(EntityType.Team, team);
        return (agent, team);
    }

    public void Dispose() => _keys.Dispose();
}

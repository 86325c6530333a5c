using System.Text.Json;
using System.Text.Json.Serialization;

namespace Plant.Core.Catalog;

/// <summary>
/// What a client sends to create or amend a catalog entity: the fields every type has. A draft is unvalidated
/// input; <see cref="Constitution.ConstitutionValidator"/> says what is wrong with it.
/// </summary>
/// <remarks>
/// JSON (System.Text.Json, camelCase): a route that knows the type deserialises the concrete record
/// (<see cref="EntityTypes.DraftType"/>); a payload of any type (<c>POST /validate</c>) deserialises
/// <see cref="EntityDraft"/> and names its type in <c>"entityType"</c> (<c>industry</c>, <c>skill</c>, <c>job_role</c>,
/// <c>team</c>, <c>agent</c>), read wherever it stands with <see cref="CatalogJson.Options"/>.
/// A missing property keeps its default (empty text, no tags, no attributes) so that the constitution, not the
/// JSON reader, reports it; prices are <see cref="decimal"/>, so no floating-point value enters a signed payload.
/// </remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "entityType", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(IndustryDraft), "industry")]
[JsonDerivedType(typeof(SkillDraft), "skill")]
[JsonDerivedType(typeof(JobRoleDraft), "job_role")]
[JsonDerivedType(typeof(TeamDraft), "team")]
[JsonDerivedType(typeof(AgentDraft), "agent")]
public abstract record EntityDraft
{
    private protected EntityDraft(EntityType entityType) => EntityType = entityType;

    /// <summary>The entity's type; in JSON it is the <c>entityType</c> discriminator, not a property.</summary>
    [JsonIgnore]
    public EntityType EntityType { get; }

    /// <summary>The entity's name, unique per type among current entities.</summary>
    public string Name { get; init; } = "";

    /// <summary>What the entity is, in prose: searched and shown to customers.</summary>
    public string Description { get; init; } = "";

    /// <summary>Free labels.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Free attributes: a JSON object (<c>catalog.entity_version.attributes</c>); an undefined value means none.</summary>
    public JsonElement Attributes { get; init; } = CatalogJson.EmptyObject;
}

/// <summary>An industry: the sector that job roles and agents work in.</summary>
public sealed record IndustryDraft() : EntityDraft(EntityType.Industry)
{
    /// <summary>A short code such as <c>FINSERV</c> (<c>[A-Z0-9_-]{1,32}</c>), or none.</summary>
    public string? Code { get; init; }
}

/// <summary>A skill that job roles require and agents hold.</summary>
public sealed record SkillDraft() : EntityDraft(EntityType.Skill)
{
    /// <summary>One of <see cref="CatalogValues.SkillCategories"/>.</summary>
    public string Category { get; init; } = "";
}

/// <summary>A job role in one industry, requiring skills.</summary>
public sealed record JobRoleDraft() : EntityDraft(EntityType.JobRole)
{
    /// <summary>One of <see cref="CatalogValues.Seniorities"/>.</summary>
    public string Seniority { get; init; } = "";

    /// <summary>The industry entity the role belongs to.</summary>
    public Guid? IndustryId { get; init; }

    /// <summary>The skill entities the role requires: at least one, each certified.</summary>
    public IReadOnlyList<Guid> RequiredSkillIds { get; init; } = [];
}

/// <summary>A team of agents who share a job role.</summary>
public sealed record TeamDraft() : EntityDraft(EntityType.Team)
{
    /// <summary>The job role entity the team does.</summary>
    public Guid? JobRoleId { get; init; }

    /// <summary>The agent entities in the team: at least one, each certified.</summary>
    public IReadOnlyList<Guid> MemberAgentIds { get; init; } = [];
}

/// <summary>An agent offered on the marketplace.</summary>
public sealed record AgentDraft() : EntityDraft(EntityType.Agent)
{
    /// <summary>The industry entity the agent works in.</summary>
    public Guid? IndustryId { get; init; }

    /// <summary>The job role entity the agent does.</summary>
    public Guid? JobRoleId { get; init; }

    /// <summary>The team entity the agent belongs to, or none.</summary>
    public Guid? TeamId { get; init; }

    /// <summary>The skill entities the agent holds: at least those its job role requires.</summary>
    public IReadOnlyList<Guid> SkillIds { get; init; } = [];

    /// <summary>One of <see cref="CatalogValues.Availabilities"/>.</summary>
    public string Availability { get; init; } = CatalogValues.DefaultAvailability;

    /// <summary>The hourly price, at most two decimal places (<c>numeric(10, 2)</c>).</summary>
    public decimal? PricePerHour { get; init; }

    /// <summary>The ISO 4217 currency code of <see cref="PricePerHour"/>.</summary>
    public string Currency { get; init; } = CatalogValues.DefaultCurrency;
}

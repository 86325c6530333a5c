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
/// Source-generated metadata sets every init-only property, a missing one to its type's default (dotnet/runtime#84484):
/// <see cref="IJsonOnDeserialized.OnDeserialized"/> puts the defaults back, and is called by the serializer alone.
/// </remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "entityType", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(IndustryDraft), "industry")]
[JsonDerivedType(typeof(SkillDraft), "skill")]
[JsonDerivedType(typeof(JobRoleDraft), "job_role")]
[JsonDerivedType(typeof(TeamDraft), "team")]
[JsonDerivedType(typeof(AgentDraft), "agent")]
public abstract record EntityDraft : IJsonOnDeserialized
{
    private string _name = "";
    private string _description = "";
    private IReadOnlyList<string> _tags = [];
    private JsonElement _attributes = CatalogJson.EmptyObject;

    private protected EntityDraft(EntityType entityType) => EntityType = entityType;

    /// <summary>The entity's type; in JSON it is the <c>entityType</c> discriminator, not a property.</summary>
    [JsonIgnore]
    public EntityType EntityType { get; }

    /// <summary>The entity's name, unique per type among current entities.</summary>
    public string Name { get => _name; init => _name = value; }

    /// <summary>What the entity is, in prose: searched and shown to customers.</summary>
    public string Description { get => _description; init => _description = value; }

    /// <summary>Free labels.</summary>
    public IReadOnlyList<string> Tags { get => _tags; init => _tags = value; }

    /// <summary>Free attributes: a JSON object (<c>catalog.entity_version.attributes</c>); an undefined value means none.</summary>
    public JsonElement Attributes { get => _attributes; init => _attributes = value; }

    void IJsonOnDeserialized.OnDeserialized() => RestoreDefaults();

    /// <summary>Gives the properties a payload left out their defaults again (see the remarks).</summary>
    private protected virtual void RestoreDefaults()
    {
        _name ??= "";
        _description ??= "";
        _tags ??= [];
        if (_attributes.ValueKind == JsonValueKind.Undefined)
        {
            _attributes = CatalogJson.EmptyObject;
        }
    }
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
    public string Category { get => _category; init => _category = value; }

    private string _category = "";

    private protected override void RestoreDefaults()
    {
        base.RestoreDefaults();
        _category ??= "";
    }
}

/// <summary>A job role in one industry, requiring skills.</summary>
public sealed record JobRoleDraft() : EntityDraft(EntityType.JobRole)
{
    /// <summary>One of <see cref="CatalogValues.Seniorities"/>.</summary>
    public string Seniority { get => _seniority; init => _seniority = value; }

    /// <summary>The industry entity the role belongs to.</summary>
    public Guid? IndustryId { get; init; }

    /// <summary>The skill entities the role requires: at least one, each certified.</summary>
    public IReadOnlyList<Guid> RequiredSkillIds { get => _requiredSkillIds; init => _requiredSkillIds = value; }

    private string _seniority = "";
    private IReadOnlyList<Guid> _requiredSkillIds = [];

    private protected override void RestoreDefaults()
    {
        base.RestoreDefaults();
        _seniority ??= "";
        _requiredSkillIds ??= [];
    }
}

/// <summary>A team of agents who share a job role.</summary>
public sealed record TeamDraft() : EntityDraft(EntityType.Team)
{
    /// <summary>The job role entity the team does.</summary>
    public Guid? JobRoleId { get; init; }

    /// <summary>The agent entities in the team: at least one, each certified.</summary>
    public IReadOnlyList<Guid> MemberAgentIds { get => _memberAgentIds; init => _memberAgentIds = value; }

    private IReadOnlyList<Guid> _memberAgentIds = [];

    private protected override void RestoreDefaults()
    {
        base.RestoreDefaults();
        _memberAgentIds ??= [];
    }
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
    public IReadOnlyList<Guid> SkillIds { get => _skillIds; init => _skillIds = value; }

    /// <summary>One of <see cref="CatalogValues.Availabilities"/>.</summary>
    public string Availability { get => _availability; init => _availability = value; }

    /// <summary>The hourly price, at most two decimal places (<c>numeric(10, 2)</c>).</summary>
    public decimal? PricePerHour { get; init; }

    /// <summary>The ISO 4217 currency code of <see cref="PricePerHour"/>.</summary>
    public string Currency { get => _currency; init => _currency = value; }

    private IReadOnlyList<Guid> _skillIds = [];
    private string _availability = CatalogValues.DefaultAvailability;
    private string _currency = CatalogValues.DefaultCurrency;

    private protected override void RestoreDefaults()
    {
        base.RestoreDefaults();
        _skillIds ??= [];
        _availability ??= CatalogValues.DefaultAvailability;
        _currency ??= CatalogValues.DefaultCurrency;
    }
}

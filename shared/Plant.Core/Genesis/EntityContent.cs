using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plant.Core.Catalog;

namespace Plant.Core.Genesis;

/// <summary>
/// What one version of a catalog entity says: its identity, its place in the version chain and its draft (name,
/// description, tags, attributes, the type's own fields and its links). This, and nothing else, is hashed into
/// <c>content_hash</c> and covered by a certificate; lifecycle, certification and bookkeeping columns are not
/// content. docs/GENESIS.md defines the JSON field by field.
/// </summary>
public sealed record EntityContent
{
    /// <summary>The version of this definition, written into the hashed JSON so that a later definition cannot be confused with it.</summary>
    public const string Schema = "plant.catalog.entity/1";

    /// <param name="entityId">The entity.</param>
    /// <param name="version">The version number, from 1.</param>
    /// <param name="previousHash">The content hash of the version this one supersedes; null for version 1.</param>
    /// <param name="draft">The draft; its id lists are treated as sets (the link tables are sets).</param>
    public EntityContent(Guid entityId, int version, string? previousHash, EntityDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);

        EntityId = entityId;
        Version = version;
        PreviousHash = previousHash;
        Draft = Normalize(draft);
    }

    /// <summary>The entity.</summary>
    public Guid EntityId { get; }

    /// <summary>The version number, from 1.</summary>
    public int Version { get; }

    /// <summary>The content hash of the superseded version; null for version 1.</summary>
    public string? PreviousHash { get; }

    /// <summary>The draft, with every id list sorted and without repeats.</summary>
    public EntityDraft Draft { get; }

    /// <summary>The entity's type.</summary>
    public EntityType EntityType => Draft.EntityType;

    /// <summary>
    /// The JSON object that is canonicalised (RFC 8785) and hashed. Field names are the drafts' camelCase; every
    /// field of the type is present (null when absent) so that "absent" has one spelling; ids are lower-case
    /// hyphenated; id lists are sorted sets; a price is a decimal string with two places, never a JSON number.
    /// </summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["schema"] = Schema,
            ["entityId"] = Id(EntityId),
            ["entityType"] = EntityType.SchemaName(),
            ["version"] = Version,
            ["previousHash"] = PreviousHash,
            ["name"] = Draft.Name,
            ["description"] = Draft.Description,
            ["tags"] = new JsonArray([.. Draft.Tags.Select(t => (JsonNode?)JsonValue.Create(t))]),
            ["attributes"] = JsonNode.Parse(Draft.Attributes.GetRawText()),
        };

        switch (Draft)
        {
            case IndustryDraft industry:
                json["code"] = industry.Code;
                break;
            case SkillDraft skill:
                json["category"] = skill.Category;
                break;
            case JobRoleDraft role:
                json["seniority"] = role.Seniority;
                json["industryId"] = Id(role.IndustryId);
                json["requiredSkillIds"] = Ids(role.RequiredSkillIds);
                break;
            case TeamDraft team:
                json["jobRoleId"] = Id(team.JobRoleId);
                json["memberAgentIds"] = Ids(team.MemberAgentIds);
                break;
            case AgentDraft agent:
                json["industryId"] = Id(agent.IndustryId);
                json["jobRoleId"] = Id(agent.JobRoleId);
                json["teamId"] = Id(agent.TeamId);
                json["skillIds"] = Ids(agent.SkillIds);
                json["availability"] = agent.Availability;
                json["pricePerHour"] = Price(agent.PricePerHour);
                json["currency"] = agent.Currency;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(Draft), Draft.GetType().Name, "Not a catalog draft.");
        }

        return json;
    }

    /// <summary>A price as the decimal string the schema stores (<c>numeric(10, 2)</c>): two places, invariant culture.</summary>
    public static string? Price(decimal? price) => price?.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>The draft with its id lists as sorted sets, as the link tables give them back.</summary>
    public static EntityDraft Normalize(EntityDraft draft) => draft switch
    {
        JobRoleDraft role => role with { RequiredSkillIds = Set(role.RequiredSkillIds) },
        TeamDraft team => team with { MemberAgentIds = Set(team.MemberAgentIds) },
        AgentDraft agent => agent with { SkillIds = Set(agent.SkillIds) },
        _ => draft,
    };

    // Ordered by the ids' text (which is their byte order, and PostgreSQL's uuid order), so that anyone can
    // rebuild the array without knowing how .NET compares Guids.
    private static Guid[] Set(IReadOnlyList<Guid> ids) => [.. ids.Distinct().OrderBy(i => i.ToString("D"), StringComparer.Ordinal)];

    private static string? Id(Guid? id) => id?.ToString("D");

    private static JsonArray Ids(IReadOnlyList<Guid> ids) => new([.. ids.Select(i => (JsonNode?)JsonValue.Create(Id(i)))]);
}

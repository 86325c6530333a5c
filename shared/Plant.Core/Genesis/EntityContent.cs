using System.Globalization;
using System.Text.Json;
using Plant.Core.Canonical;
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
    /// The canonical JSON (RFC 8785) that is hashed: field names are the drafts' camelCase; every field of the type
    /// is present (null when absent) so that "absent" has one spelling; ids are lower-case hyphenated; id lists are
    /// sorted sets; a price is a decimal string with two places, never a JSON number.
    /// </summary>
    /// <exception cref="CanonicalJsonException">The attributes hold a value RFC 8785 cannot write (a number beyond a double's range).</exception>
    public byte[] ToCanonicalJson()
    {
        using var writer = new CanonicalJsonWriter(1024);
        Write(writer);
        return writer.ToArray();
    }

    /// <summary>The content hash: lower-case hex SHA-256 of <see cref="ToCanonicalJson"/>. The one function that computes it, at write and at verification.</summary>
    /// <exception cref="CanonicalJsonException">As <see cref="ToCanonicalJson"/>.</exception>
    public string ComputeHash()
    {
        using var writer = new CanonicalJsonWriter(1024);
        Write(writer);
        return writer.Sha256Hex();
    }

    private void Write(CanonicalJsonWriter writer)
    {
        // The writer sorts members itself; they are written here in the order docs/GENESIS.md lists them.
        writer.WriteStartObject();
        writer.WriteString("schema", Schema);
        writer.WriteString("entityId", Id(EntityId)!);
        writer.WriteString("entityType", EntityType.SchemaName());
        writer.WriteNumber("version", Version);
        NullableString(writer, "previousHash", PreviousHash);
        writer.WriteString("name", Draft.Name);
        writer.WriteString("description", Draft.Description);
        writer.WriteStartArray("tags");
        foreach (var tag in Draft.Tags)
        {
            writer.WriteString(tag);
        }

        writer.WriteEndArray();
        writer.WriteValue("attributes", Draft.Attributes);
        switch (Draft)
        {
            case IndustryDraft industry:
                NullableString(writer, "code", industry.Code);
                break;
            case SkillDraft skill:
                writer.WriteString("category", skill.Category);
                break;
            case JobRoleDraft role:
                writer.WriteString("seniority", role.Seniority);
                NullableString(writer, "industryId", Id(role.IndustryId));
                Ids(writer, "requiredSkillIds", role.RequiredSkillIds);
                break;
            case TeamDraft team:
                NullableString(writer, "jobRoleId", Id(team.JobRoleId));
                Ids(writer, "memberAgentIds", team.MemberAgentIds);
                break;
            case AgentDraft agent:
                NullableString(writer, "industryId", Id(agent.IndustryId));
                NullableString(writer, "jobRoleId", Id(agent.JobRoleId));
                NullableString(writer, "teamId", Id(agent.TeamId));
                Ids(writer, "skillIds", agent.SkillIds);
                writer.WriteString("availability", agent.Availability);
                NullableString(writer, "pricePerHour", Price(agent.PricePerHour));
                writer.WriteString("currency", agent.Currency);
                break;
            default:
                throw new InvalidOperationException($"{Draft.GetType().Name} is not a catalog draft.");
        }

        writer.WriteEndObject();
    }

    private static void NullableString(CanonicalJsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static void Ids(CanonicalJsonWriter writer, string name, IReadOnlyList<Guid> ids)
    {
        writer.WriteStartArray(name);
        foreach (var id in ids)
        {
            writer.WriteString(Id(id)!);
        }

        writer.WriteEndArray();
    }

    /// <summary>A price as the decimal string the schema stores (<c>numeric(10, 2)</c>): two places, invariant culture.</summary>
    public static string? Price(decimal? price) => price?.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>
    /// The draft as the rows give it back: id lists as sorted sets (the link tables are sets), and absent or null
    /// attributes as the empty object (the column is a JSON object).
    /// </summary>
    public static EntityDraft Normalize(EntityDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (draft.Attributes.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            draft = draft with { Attributes = CatalogJson.EmptyObject };
        }

        return draft switch
        {
            JobRoleDraft role => role with { RequiredSkillIds = Set(role.RequiredSkillIds) },
            TeamDraft team => team with { MemberAgentIds = Set(team.MemberAgentIds) },
            AgentDraft agent => agent with { SkillIds = Set(agent.SkillIds) },
            _ => draft,
        };
    }

    // Ordered by the ids' text (which is their byte order, and PostgreSQL's uuid order), so that anyone can
    // rebuild the array without knowing how .NET compares Guids.
    private static Guid[] Set(IReadOnlyList<Guid> ids) => [.. ids.Distinct().OrderBy(i => i.ToString("D"), StringComparer.Ordinal)];

    private static string? Id(Guid? id) => id?.ToString("D");
}

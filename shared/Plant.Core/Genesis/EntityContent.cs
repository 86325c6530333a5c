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

    /// <summary>The members of each type's content (indexed by <see cref="Catalog.EntityType"/>), in ordinal order.</summary>
    private static readonly string[][] s_members = BuildMembers();

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
        // Members go out in RFC 8785 order (ordinal), so the writer never has to reorder them.
        writer.WriteStartObject();
        foreach (var member in s_members[(int)EntityType])
        {
            WriteMember(writer, member);
        }

        writer.WriteEndObject();
    }

    private void WriteMember(CanonicalJsonWriter writer, string member)
    {
        switch (member)
        {
            case "attributes": writer.WriteValue(member, Draft.Attributes); break;
            case "description": writer.WriteString(member, Draft.Description); break;
            case "entityId": writer.WriteString(member, EntityId); break;
            case "entityType": writer.WriteString(member, EntityType.SchemaName()); break;
            case "name": writer.WriteString(member, Draft.Name); break;
            case "previousHash": NullableString(writer, member, PreviousHash); break;
            case "schema": writer.WriteString(member, Schema); break;
            case "version": writer.WriteNumber(member, Version); break;
            case "tags":
                writer.WriteStartArray(member);
                foreach (var tag in Draft.Tags)
                {
                    writer.WriteString(tag);
                }

                writer.WriteEndArray();
                break;
            case "code": NullableString(writer, member, ((IndustryDraft)Draft).Code); break;
            case "category": writer.WriteString(member, ((SkillDraft)Draft).Category); break;
            case "seniority": writer.WriteString(member, ((JobRoleDraft)Draft).Seniority); break;
            case "requiredSkillIds": Ids(writer, member, ((JobRoleDraft)Draft).RequiredSkillIds); break;
            case "memberAgentIds": Ids(writer, member, ((TeamDraft)Draft).MemberAgentIds); break;
            case "industryId": NullableId(writer, member, Draft is JobRoleDraft role ? role.IndustryId : ((AgentDraft)Draft).IndustryId); break;
            case "jobRoleId": NullableId(writer, member, Draft is TeamDraft team ? team.JobRoleId : ((AgentDraft)Draft).JobRoleId); break;
            case "teamId": NullableId(writer, member, ((AgentDraft)Draft).TeamId); break;
            case "skillIds": Ids(writer, member, ((AgentDraft)Draft).SkillIds); break;
            case "availability": writer.WriteString(member, ((AgentDraft)Draft).Availability); break;
            case "pricePerHour": NullableString(writer, member, Price(((AgentDraft)Draft).PricePerHour)); break;
            case "currency": writer.WriteString(member, ((AgentDraft)Draft).Currency); break;
            default: throw new InvalidOperationException($"No content member '{member}'.");
        }
    }

    private static string[][] BuildMembers()
    {
        string[] common = ["attributes", "description", "entityId", "entityType", "name", "previousHash", "schema", "tags", "version"];
        var byType = new Dictionary<EntityType, string[]>
        {
            [EntityType.Industry] = ["code"],
            [EntityType.Skill] = ["category"],
            [EntityType.JobRole] = ["seniority", "industryId", "requiredSkillIds"],
            [EntityType.Team] = ["jobRoleId", "memberAgentIds"],
            [EntityType.Agent] = ["industryId", "jobRoleId", "teamId", "skillIds", "availability", "pricePerHour", "currency"],
        };
        var members = new string[byType.Count][];
        foreach (var (type, own) in byType)
        {
            members[(int)type] = [.. common.Concat(own).Order(StringComparer.Ordinal)];
        }

        return members;
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

    private static void NullableId(CanonicalJsonWriter writer, string name, Guid? id)
    {
        if (id is { } value)
        {
            writer.WriteString(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void Ids(CanonicalJsonWriter writer, string name, IReadOnlyList<Guid> ids)
    {
        writer.WriteStartArray(name);
        foreach (var id in ids)
        {
            writer.WriteString(id);
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
}

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

    /// <summary>The members of each type's content (indexed by <see cref="Catalog.EntityType"/>), in ordinal order of their names.</summary>
    private static readonly (CanonicalJsonName Name, Member Member)[][] s_members = BuildMembers();

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
    public byte[] ToCanonicalJson() => WriteOnThreadWriter().ToArray();

    /// <summary>The content hash: lower-case hex SHA-256 of <see cref="ToCanonicalJson"/>. The one function that computes it, at write and at verification.</summary>
    /// <exception cref="CanonicalJsonException">As <see cref="ToCanonicalJson"/>.</exception>
    public string ComputeHash() => WriteOnThreadWriter().Sha256Hex();

    // One writer per thread, reset for each content: a writer of its own per hash grew its lists and rented its
    // buffer anew each time, about a kilobyte of garbage per hash (docs/BENCHMARKS.md).
    [ThreadStatic]
    private static CanonicalJsonWriter? t_writer;

    private CanonicalJsonWriter WriteOnThreadWriter()
    {
        var writer = t_writer ??= new CanonicalJsonWriter(2048);
        writer.Reset();
        Write(writer);
        return writer;
    }

    private void Write(CanonicalJsonWriter writer)
    {
        // Members go out in RFC 8785 order (ordinal), so the writer never has to reorder them.
        writer.WriteStartObject();
        foreach (var (name, member) in s_members[(int)EntityType])
        {
            writer.WritePropertyName(name);
            WriteValue(writer, member);
        }

        writer.WriteEndObject();
    }

    private void WriteValue(CanonicalJsonWriter writer, Member member)
    {
        switch (member)
        {
            case Member.Attributes: writer.WriteValue(Draft.Attributes); break;
            case Member.Description: writer.WriteString(Draft.Description); break;
            case Member.EntityId: writer.WriteString(EntityId); break;
            case Member.EntityType: writer.WriteString(EntityType.SchemaName()); break;
            case Member.Name: writer.WriteString(Draft.Name); break;
            case Member.PreviousHash: NullableString(writer, PreviousHash); break;
            case Member.Schema: writer.WriteString(Schema); break;
            case Member.Version: writer.WriteNumber(Version); break;
            case Member.Tags:
                writer.WriteStartArray();
                foreach (var tag in Draft.Tags)
                {
                    writer.WriteString(tag);
                }

                writer.WriteEndArray();
                break;
            case Member.Code: NullableString(writer, ((IndustryDraft)Draft).Code); break;
            case Member.Category: writer.WriteString(((SkillDraft)Draft).Category); break;
            case Member.Seniority: writer.WriteString(((JobRoleDraft)Draft).Seniority); break;
            case Member.RequiredSkillIds: Ids(writer, ((JobRoleDraft)Draft).RequiredSkillIds); break;
            case Member.MemberAgentIds: Ids(writer, ((TeamDraft)Draft).MemberAgentIds); break;
            case Member.IndustryId: NullableId(writer, Draft is JobRoleDraft role ? role.IndustryId : ((AgentDraft)Draft).IndustryId); break;
            case Member.JobRoleId: NullableId(writer, Draft is TeamDraft team ? team.JobRoleId : ((AgentDraft)Draft).JobRoleId); break;
            case Member.TeamId: NullableId(writer, ((AgentDraft)Draft).TeamId); break;
            case Member.SkillIds: Ids(writer, ((AgentDraft)Draft).SkillIds); break;
            case Member.Availability: writer.WriteString(((AgentDraft)Draft).Availability); break;
            case Member.PricePerHour: NullableString(writer, Price(((AgentDraft)Draft).PricePerHour)); break;
            case Member.Currency: writer.WriteString(((AgentDraft)Draft).Currency); break;
            default: throw new InvalidOperationException($"No content member '{member}'.");
        }
    }

    /// <summary>Each member of the content; its JSON name is its own name in camelCase.</summary>
    private enum Member
    {
        Attributes, Description, EntityId, EntityType, Name, PreviousHash, Schema, Tags, Version,
        Code, Category, Seniority, IndustryId, RequiredSkillIds, JobRoleId, MemberAgentIds, TeamId, SkillIds,
        Availability, PricePerHour, Currency,
    }

    private static (CanonicalJsonName, Member)[][] BuildMembers()
    {
        Member[] common = [Member.Attributes, Member.Description, Member.EntityId, Member.EntityType, Member.Name, Member.PreviousHash, Member.Schema, Member.Tags, Member.Version];
        var byType = new Dictionary<EntityType, Member[]>
        {
            [EntityType.Industry] = [Member.Code],
            [EntityType.Skill] = [Member.Category],
            [EntityType.JobRole] = [Member.Seniority, Member.IndustryId, Member.RequiredSkillIds],
            [EntityType.Team] = [Member.JobRoleId, Member.MemberAgentIds],
            [EntityType.Agent] = [Member.IndustryId, Member.JobRoleId, Member.TeamId, Member.SkillIds, Member.Availability, Member.PricePerHour, Member.Currency],
        };
        var members = new (CanonicalJsonName, Member)[byType.Count][];
        foreach (var (type, own) in byType)
        {
            members[(int)type] =
            [
                .. common.Concat(own)
                    .Select(member => (Name: JsonNamingPolicy.CamelCase.ConvertName(member.ToString()), Member: member))
                    .OrderBy(m => m.Name, StringComparer.Ordinal)
                    .Select(m => (new CanonicalJsonName(m.Name), m.Member)),
            ];
        }

        return members;
    }

    private static void NullableString(CanonicalJsonWriter writer, string? value)
    {
        if (value is null)
        {
            writer.WriteNull();
        }
        else
        {
            writer.WriteString(value);
        }
    }

    private static void NullableId(CanonicalJsonWriter writer, Guid? id)
    {
        if (id is { } value)
        {
            writer.WriteString(value);
        }
        else
        {
            writer.WriteNull();
        }
    }

    private static void Ids(CanonicalJsonWriter writer, IReadOnlyList<Guid> ids)
    {
        writer.WriteStartArray();
        foreach (var id in ids)
        {
            writer.WriteString(id);
        }

        writer.WriteEndArray();
    }

    /// <summary>A price as the decimal string the schema stores (<c>numeric(10, 2)</c>): two places, invariant culture.</summary>
    /// <remarks>
    /// For a price with at most two places "F2" gives the same text as "0.00" without parsing a custom format each
    /// time, which took a twentieth of the content hash; anything else keeps "0.00"'s rounding.
    /// </remarks>
    public static string? Price(decimal? price) => price is { } value
        ? value.ToString(value >= 0 && value.Scale <= 2 ? "F2" : "0.00", CultureInfo.InvariantCulture)
        : null;

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
    private static Guid[] Set(IReadOnlyList<Guid> ids)
    {
        Guid[] set = [.. ids.Distinct()];
        Array.Sort(set, UuidOrder.Compare);
        return set;
    }
}

using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Npgsql;
using Plant.Core.Canonical;
using Plant.Core.Catalog;
using Plant.Core.Constitution;
using Plant.Core.Data;

namespace Plant.Core.Genesis;

/// <summary>A field of a draft that the catalog cannot store as it is, and why.</summary>
/// <param name="Field">The draft's JSON name: <c>name</c>, <c>pricePerHour</c>, <c>skillIds[2]</c>, ...</param>
/// <param name="Message">What is wrong, for people.</param>
public sealed record FieldError(string Field, string Message);

/// <summary>
/// What the catalog schema itself requires of a draft before any version of it can be written: V0001's NOT NULL
/// and CHECK constraints and foreign keys, PostgreSQL's refusal of NUL characters, and a JSON object for the
/// attributes. A draft may be stored with constitution violations (it is a draft; certification is where they
/// stop it), but not with these: they would make the insert fail. Checking them first lets Genesis answer with
/// the field at fault instead of a database error, and write nothing.
/// </summary>
/// <remarks>
/// These are not constitution rules (<c>Plant.Core.Constitution</c> has those, with ids); several overlap with
/// rules, and a rejected draft's answer carries the constitution's report beside these errors.
/// </remarks>
public static partial class StorageCheck
{
    private const int MaxNameLength = 200;
    private const decimal MaxPrice = 99_999_999.99m;

    /// <summary>The problems that need no database: shapes, ranges and enumerations.</summary>
    public static IReadOnlyList<FieldError> Check(EntityDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var errors = new List<FieldError>();
        var trimmed = draft.Name.Trim();
        if (trimmed.Length == 0 || trimmed.Length > MaxNameLength)
        {
            errors.Add(new("name", $"must have 1 to {MaxNameLength} characters besides surrounding spaces; it has {trimmed.Length}."));
        }

        NoNul(errors, "name", draft.Name);
        NoNul(errors, "description", draft.Description);
        for (var i = 0; i < draft.Tags.Count; i++)
        {
            if (draft.Tags[i] is null)
            {
                errors.Add(new($"tags[{i}]", "must be text, not null."));
            }
            else
            {
                NoNul(errors, $"tags[{i}]", draft.Tags[i]);
            }
        }

        CheckAttributes(errors, draft.Attributes);
        switch (draft)
        {
            case IndustryDraft industry when industry.Code is not null && !IndustryCode().IsMatch(industry.Code):
                errors.Add(new("code", "must be 1 to 32 of A-Z, 0-9, '_' and '-', or absent."));
                break;
            case SkillDraft skill when !CatalogValues.IsSkillCategory(skill.Category):
                errors.Add(new("category", $"must be one of {string.Join(", ", CatalogValues.SkillCategories)}."));
                break;
            case JobRoleDraft role:
                if (!CatalogValues.IsSeniority(role.Seniority))
                {
                    errors.Add(new("seniority", $"must be one of {string.Join(", ", CatalogValues.Seniorities)}."));
                }

                Required(errors, "industryId", role.IndustryId);
                break;
            case TeamDraft team:
                Required(errors, "jobRoleId", team.JobRoleId);
                break;
            case AgentDraft agent:
                Required(errors, "industryId", agent.IndustryId);
                if (!CatalogValues.IsAvailability(agent.Availability))
                {
                    errors.Add(new("availability", $"must be one of {string.Join(", ", CatalogValues.Availabilities)}."));
                }

                if (agent.PricePerHour is not { } price)
                {
                    errors.Add(new("pricePerHour", "is required."));
                }
                else if (price < 0 || price > MaxPrice || price.Scale > 2 && decimal.Round(price, 2) != price)
                {
                    errors.Add(new("pricePerHour", $"must be between 0 and {MaxPrice} with at most two decimal places."));
                }

                if (agent.Currency is null || !CurrencyCode().IsMatch(agent.Currency))
                {
                    errors.Add(new("currency", "must be a three-letter ISO 4217 code in capitals, such as USD."));
                }

                break;
        }

        return errors;
    }

    /// <summary>
    /// The references of a draft that do not name an existing entity of the right type (the schema's foreign keys
    /// point at <c>catalog.entity</c>, whatever the referenced entity's status; the constitution judges that).
    /// The types come from the reference facts the constitution resolved anyway; they hold the first
    /// <see cref="ConstitutionLimits.MaxReferences"/> ids of each list, so a longer list is looked up here.
    /// </summary>
    public static async Task<IReadOnlyList<FieldError>> CheckReferencesAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, EntityDraft draft, ReferenceFacts facts, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(facts);
        var references = References(draft).ToList();
        if (references.Count == 0)
        {
            return [];
        }

        var types = facts.Entities.ToDictionary(e => e.Id, e => e.Type.SchemaName());
        var missing = references.Select(r => r.Id).Where(id => !types.ContainsKey(id)).Distinct().ToArray();
        if (missing.Length > 0 && references.Count > ConstitutionLimits.MaxReferences)
        {
            var found = await connection.QueryAsync<EntityRow>(
                "select entity_id, entity_type from catalog.entity where entity_id = any(@ids)", new { ids = PgArray.Of(missing), ct }, transaction);
            foreach (var (entityId, entityType) in found)
            {
                types[entityId] = entityType;
            }
        }

        var errors = new List<FieldError>();
        foreach (var (field, id, type) in references)
        {
            if (!types.TryGetValue(id, out var found))
            {
                errors.Add(new(field, $"names {id}, which is no {type.DisplayName()} in the catalog."));
            }
            else if (found != type.SchemaName())
            {
                errors.Add(new(field, $"names {id}, which is a {found.Replace('_', ' ')}, not a {type.DisplayName()}."));
            }
        }

        return errors;
    }

    /// <summary>Every entity a draft refers to, with the field that names it and the type it must have.</summary>
    public static IEnumerable<(string Field, Guid Id, EntityType Type)> References(EntityDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        switch (draft)
        {
            case JobRoleDraft role:
                if (role.IndustryId is { } roleIndustry)
                {
                    yield return ("industryId", roleIndustry, EntityType.Industry);
                }

                for (var i = 0; i < role.RequiredSkillIds.Count; i++)
                {
                    yield return ($"requiredSkillIds[{i}]", role.RequiredSkillIds[i], EntityType.Skill);
                }

                break;
            case TeamDraft team:
                if (team.JobRoleId is { } teamRole)
                {
                    yield return ("jobRoleId", teamRole, EntityType.JobRole);
                }

                for (var i = 0; i < team.MemberAgentIds.Count; i++)
                {
                    yield return ($"memberAgentIds[{i}]", team.MemberAgentIds[i], EntityType.Agent);
                }

                break;
            case AgentDraft agent:
                if (agent.IndustryId is { } agentIndustry)
                {
                    yield return ("industryId", agentIndustry, EntityType.Industry);
                }

                if (agent.JobRoleId is { } agentRole)
                {
                    yield return ("jobRoleId", agentRole, EntityType.JobRole);
                }

                if (agent.TeamId is { } agentTeam)
                {
                    yield return ("teamId", agentTeam, EntityType.Team);
                }

                for (var i = 0; i < agent.SkillIds.Count; i++)
                {
                    yield return ($"skillIds[{i}]", agent.SkillIds[i], EntityType.Skill);
                }

                break;
        }
    }

    private static void Required(List<FieldError> errors, string field, Guid? id)
    {
        if (id is null)
        {
            errors.Add(new(field, "is required."));
        }
    }

    private static void NoNul(List<FieldError> errors, string field, string? text)
    {
        if (text is not null && Unstorable(text) is { } why)
        {
            errors.Add(new(field, why));
        }
    }

    /// <summary>Why PostgreSQL text (UTF-8, no NUL) cannot hold <paramref name="text"/>, or null when it can.</summary>
    private static string? Unstorable(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                return "contains a NUL character (\\u0000), which cannot be stored.";
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return "contains an unpaired UTF-16 surrogate, which is not a character and cannot be stored.";
            }
        }

        return null;
    }

    /// <summary>
    /// jsonb takes an object without NUL characters; a repeated key would keep only its last value, so the hash of
    /// what was sent and of what is stored would differ.
    /// </summary>
    private static void CheckAttributes(List<FieldError> errors, JsonElement attributes)
    {
        // Absent or null means none, as the constitution reads it; the content stores {} (EntityContent.Normalize).
        if (attributes.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return;
        }

        if (attributes.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("attributes", $"must be a JSON object, not {attributes.ValueKind.ToString().ToLowerInvariant()}."));
            return;
        }

        if (FindUnstorable(attributes, "attributes") is { } error)
        {
            errors.Add(error);
            return;
        }

        try
        {
            // The content hash canonicalises the attributes (RFC 8785), which reads every number as a double.
            _ = CanonicalJson.Serialize(attributes);
        }
        catch (CanonicalJsonException)
        {
            errors.Add(new("attributes", "holds a number beyond the range of a double, which canonical JSON (RFC 8785) cannot write; send it as a string."));
        }
    }

    private static FieldError? FindUnstorable(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return new(path, "has a property name that is not valid Unicode text.");
                    }

                    if (!names.Add(name))
                    {
                        return new(path, "repeats a property name; the stored object would keep only its last value.");
                    }

                    if (Unstorable(name) is { } nameProblem)
                    {
                        return new(path, "has a property name that " + nameProblem);
                    }

                    if (FindUnstorable(property.Value, $"{path}.{name}") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindUnstorable(item, $"{path}[{index++}]") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.String:
                string text;
                try
                {
                    text = element.GetString()!;
                }
                catch (InvalidOperationException)
                {
                    return new(path, "is not valid Unicode text.");
                }

                return Unstorable(text) is { } why ? new(path, why) : null;
            default:
                return null;
        }
    }

    /// <summary>An entity's id and type (its schema name).</summary>
    internal sealed record EntityRow(Guid EntityId, string EntityType);

    [GeneratedRegex("^[A-Z0-9_-]{1,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex IndustryCode();

    [GeneratedRegex("^[A-Z]{3}$", RegexOptions.CultureInvariant)]
    private static partial Regex CurrencyCode();
}

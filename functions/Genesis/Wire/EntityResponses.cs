using System.Text.Json;
using System.Text.Json.Serialization;
using Plant.Core.Catalog;
using Plant.Core.Constitution;
using Plant.Core.Genesis;

namespace Plant.Genesis.Wire;

// The JSON Genesis answers with for entities, mapped by hand from Plant.Core's records.

/// <summary>
/// One version of an entity: its identity, the draft's own fields exactly as a client sends them (at the top level,
/// <see cref="Fields"/>), its chain, lifecycle and certification; and, from a write, the constitution's report.
/// </summary>
public sealed record EntityResponse(
    Guid Id,
    string EntityType,
    int Version,
    Guid VersionId,
    bool IsCurrent,
    string ContentHash,
    string? PreviousHash,
    Guid? Supersedes,
    string Status,
    DateTimeOffset? ActivatedAt,
    DateTimeOffset? SuspendedAt,
    DateTimeOffset? RetiredAt,
    CertificationResponse Certification,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset UpdatedAt,
    string UpdatedBy)
{
    /// <summary>
    /// The draft's fields (name, description, the type's own), written beside the others. Filled, not set: the JSON
    /// source generator binds an init-only property like a constructor parameter, which extension data cannot be.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement> Fields { get; } = new Dictionary<string, JsonElement>(StringComparer.Ordinal);

    /// <summary>The report of the draft written, on a write's answer only.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ReportResponse? Validation { get; init; }

    public static EntityResponse From(EntityVersion version)
    {
        var response = new EntityResponse(
            version.EntityId,
            version.EntityType.SchemaName(),
            version.Version,
            version.VersionId,
            version.IsCurrent,
            version.ContentHash,
            version.Content.PreviousHash,
            version.Supersedes,
            version.Status.SchemaName(),
            version.ActivatedAt,
            version.SuspendedAt,
            version.RetiredAt,
            new CertificationResponse(
                version.CertificationStatus.SchemaName(), version.CertifiedAt, version.CertificateRef, JsonElement.Parse(version.ViolationsJson)),
            version.CreatedAt,
            version.CreatedBy,
            version.UpdatedAt,
            version.UpdatedBy);

        // The draft serialises with its entityType discriminator first; the rest are its fields.
        foreach (var field in JsonSerializer.SerializeToElement(version.Content.Draft, CatalogJson.DraftTypeInfo).EnumerateObject().Where(p => p.Name != "entityType"))
        {
            response.Fields.Add(field.Name, field.Value);
        }

        return response;
    }
}

/// <summary>Where a version stands with the constitution: pending, certified or rejected, when, by which certificate, and why.</summary>
public sealed record CertificationResponse(string Status, DateTimeOffset? DecidedAt, string? CertificateId, JsonElement Violations);

/// <summary>A constitution report: <c>{ valid, violations: [{ ruleId, severity, field, message }] }</c>.</summary>
public sealed record ReportResponse(bool Valid, JsonElement Violations)
{
    public static ReportResponse From(ValidationReport report) => new(report.Valid, ViolationsOf(report));

    /// <summary>The violations alone, as a problem's extension member carries them.</summary>
    public static JsonElement ViolationsOf(ValidationReport report) => JsonElement.Parse(ViolationsJson.Serialize(report));
}

/// <summary>A field the catalog cannot store, and why.</summary>
public sealed record FieldErrorResponse(string Field, string Message)
{
    public static IReadOnlyList<FieldErrorResponse> From(IEnumerable<FieldError> errors) => [.. errors.Select(e => new FieldErrorResponse(e.Field, e.Message))];
}

/// <summary>An entity's versions, oldest first.</summary>
public sealed record VersionsResponse(Guid Id, string EntityType, IReadOnlyList<EntityResponse> Versions);

/// <summary>What <c>POST /validate</c> answers: whether the catalog could store the draft, and the constitution's report.</summary>
public sealed record ValidationResponse(bool Valid, JsonElement Violations, string EntityType, bool Storable, IReadOnlyList<FieldErrorResponse> Errors);

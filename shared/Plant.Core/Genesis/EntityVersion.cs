using Plant.Core.Catalog;

namespace Plant.Core.Genesis;

/// <summary>
/// One stored version of a catalog entity (<c>catalog.entity_version</c> with its subtype row and links): its
/// content, and the columns that are not content (lifecycle, certification, bookkeeping).
/// </summary>
public sealed record EntityVersion
{
    /// <summary>The row's id.</summary>
    public required Guid VersionId { get; init; }

    /// <summary>What the version says, as read back from the rows.</summary>
    public required EntityContent Content { get; init; }

    /// <summary>The content hash recorded when the version was written.</summary>
    public required string ContentHash { get; init; }

    /// <summary>The version this one supersedes; null for version 1.</summary>
    public required Guid? Supersedes { get; init; }

    /// <summary>Whether this is the version in force.</summary>
    public required bool IsCurrent { get; init; }

    /// <summary>Lifecycle status of this version.</summary>
    public required LifecycleStatus Status { get; init; }

    public required DateTimeOffset? ActivatedAt { get; init; }

    public required DateTimeOffset? SuspendedAt { get; init; }

    public required DateTimeOffset? RetiredAt { get; init; }

    /// <summary>Certification status of this version.</summary>
    public required CertificationStatus CertificationStatus { get; init; }

    /// <summary>When it was certified or rejected.</summary>
    public required DateTimeOffset? CertifiedAt { get; init; }

    /// <summary>The certificate id (text) of a certified version.</summary>
    public required string? CertificateRef { get; init; }

    /// <summary>The violations of its last validation, as a JSON array.</summary>
    public required string ViolationsJson { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required string CreatedBy { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public required string UpdatedBy { get; init; }

    /// <summary>The entity id.</summary>
    public Guid EntityId => Content.EntityId;

    /// <summary>The entity type.</summary>
    public EntityType EntityType => Content.EntityType;

    /// <summary>The version number.</summary>
    public int Version => Content.Version;
}

using Plant.Core.Catalog;

namespace Plant.Core.Constitution;

/// <summary>
/// What the constitution needs to know about one entity a draft refers to: the current version's type, lifecycle
/// and certification, and the references of its own that the L1 rules follow one step further.
/// </summary>
/// <param name="Id">The entity id.</param>
/// <param name="Type">The entity's type.</param>
/// <param name="Status">The current version's lifecycle status.</param>
/// <param name="Certification">The current version's certification status.</param>
public sealed record ReferencedEntity(Guid Id, EntityType Type, LifecycleStatus Status, CertificationStatus Certification)
{
    /// <summary>A job role's or agent's industry.</summary>
    public Guid? IndustryId { get; init; }

    /// <summary>A team's or agent's job role.</summary>
    public Guid? JobRoleId { get; init; }

    /// <summary>A job role's required skills.</summary>
    public IReadOnlyList<Guid> RequiredSkillIds { get; init; } = [];

    /// <summary>
    /// Whether another entity may rely on it: its current version is certified and it is neither suspended nor
    /// retired (a suspended entity is out of service; a retired one is gone).
    /// </summary>
    public bool InGoodStanding =>
        Certification == CertificationStatus.Certified && Status is not (LifecycleStatus.Suspended or LifecycleStatus.Retired);

    /// <summary>Why it is not in good standing, for a violation's message; null when it is.</summary>
    internal string? Standing => Withdrawal ?? Certification switch
    {
        CertificationStatus.Certified => null,
        CertificationStatus.Rejected => "rejected",
        _ => "not certified",
    };

    /// <summary>Why it is out of service (suspended or retired), for a violation's message; null when it is not.</summary>
    internal string? Withdrawal => Status switch
    {
        LifecycleStatus.Retired => "retired",
        LifecycleStatus.Suspended => "suspended",
        _ => null,
    };
}

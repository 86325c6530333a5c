using Plant.Core.Catalog;

namespace Plant.Core.Genesis;

/// <summary>A lifecycle change asked of an entity.</summary>
public enum LifecycleChange
{
    /// <summary>Take an active entity out of service (agent queries stop showing it, trials cannot start).</summary>
    Suspend,

    /// <summary>Put a suspended entity back in service; its current version must be certified.</summary>
    Reinstate,

    /// <summary>End the entity for good: it is never amended, certified or reinstated again.</summary>
    Retire,
}

/// <summary>
/// Which lifecycle moves are allowed (docs/GENESIS.md): draft → active by certification only; active ⇄ suspended;
/// anything → retired, which is final.
/// </summary>
public static class LifecycleRules
{
    /// <summary>The status <paramref name="change"/> leads to from <paramref name="current"/>'s, or why it is not allowed.</summary>
    public static (LifecycleStatus Target, string? Conflict) Next(EntityVersion current, LifecycleChange change)
    {
        ArgumentNullException.ThrowIfNull(current);
        var status = current.Status;
        return change switch
        {
            LifecycleChange.Retire => (LifecycleStatus.Retired, null),
            _ when status == LifecycleStatus.Retired => (status, "The entity is retired; retirement is final."),
            LifecycleChange.Suspend => status switch
            {
                LifecycleStatus.Active or LifecycleStatus.Suspended => (LifecycleStatus.Suspended, null),
                _ => (status, "The entity is a draft, not in service: there is nothing to suspend (certify it, or retire it)."),
            },
            LifecycleChange.Reinstate => status switch
            {
                LifecycleStatus.Active => (status, null),
                LifecycleStatus.Suspended when current.CertificationStatus == CertificationStatus.Certified => (LifecycleStatus.Active, null),
                LifecycleStatus.Suspended => (status, $"The current version ({current.Version}) is not certified; certify it before reinstating the entity."),
                _ => (status, "The entity is a draft: certification, not reinstatement, puts it in service."),
            },
            _ => throw new ArgumentOutOfRangeException(nameof(change), change, null),
        };
    }

    /// <summary>The audit action suffix of a change: suspended, reinstated, retired.</summary>
    public static string Action(LifecycleChange change) => change switch
    {
        LifecycleChange.Suspend => "suspended",
        LifecycleChange.Reinstate => "reinstated",
        LifecycleChange.Retire => "retired",
        _ => throw new ArgumentOutOfRangeException(nameof(change), change, null),
    };
}

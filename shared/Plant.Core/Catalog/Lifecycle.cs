namespace Plant.Core.Catalog;

/// <summary>The lifecycle status of a version (<c>catalog.entity_version.status</c>).</summary>
public enum LifecycleStatus
{
    Draft,
    Active,
    Suspended,
    Retired,
}

/// <summary>The certification status of a version (<c>catalog.entity_version.certification_status</c>).</summary>
public enum CertificationStatus
{
    Pending,
    Certified,
    Rejected,
}

/// <summary>Schema names of <see cref="LifecycleStatus"/> and <see cref="CertificationStatus"/>.</summary>
public static class Lifecycle
{
    /// <summary>draft, active, suspended, retired.</summary>
    public static string SchemaName(this LifecycleStatus status) => status switch
    {
        LifecycleStatus.Draft => "draft",
        LifecycleStatus.Active => "active",
        LifecycleStatus.Suspended => "suspended",
        LifecycleStatus.Retired => "retired",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a lifecycle status."),
    };

    /// <summary>pending, certified, rejected.</summary>
    public static string SchemaName(this CertificationStatus status) => status switch
    {
        CertificationStatus.Pending => "pending",
        CertificationStatus.Certified => "certified",
        CertificationStatus.Rejected => "rejected",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a certification status."),
    };

    /// <summary>Parses a schema value of <c>status</c>.</summary>
    /// <exception cref="FormatException">A value the schema's CHECK would not allow.</exception>
    public static LifecycleStatus ParseLifecycle(string value) => value switch
    {
        "draft" => LifecycleStatus.Draft,
        "active" => LifecycleStatus.Active,
        "suspended" => LifecycleStatus.Suspended,
        "retired" => LifecycleStatus.Retired,
        _ => throw new FormatException($"'{value}' is not a lifecycle status."),
    };

    /// <summary>Parses a schema value of <c>certification_status</c>.</summary>
    /// <exception cref="FormatException">A value the schema's CHECK would not allow.</exception>
    public static CertificationStatus ParseCertification(string value) => value switch
    {
        "pending" => CertificationStatus.Pending,
        "certified" => CertificationStatus.Certified,
        "rejected" => CertificationStatus.Rejected,
        _ => throw new FormatException($"'{value}' is not a certification status."),
    };
}

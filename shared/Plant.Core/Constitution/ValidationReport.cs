namespace Plant.Core.Constitution;

/// <summary>Every violation of one draft, in rule order (L0 first), never only the first one.</summary>
public sealed record ValidationReport(IReadOnlyList<Violation> Violations)
{
    /// <summary>The report of a draft that breaks no rule; shared, so a passing validation allocates nothing.</summary>
    public static ValidationReport Clean { get; } = new([]);

    /// <summary>True when no violation is an error: the draft may be certified (warnings are allowed).</summary>
    public bool Valid
    {
        get
        {
            for (var i = 0; i < Violations.Count; i++)
            {
                if (Violations[i].Severity == Severity.Error)
                {
                    return false;
                }
            }

            return true;
        }
    }
}

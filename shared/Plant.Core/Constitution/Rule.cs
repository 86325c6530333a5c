using Plant.Core.Catalog;

namespace Plant.Core.Constitution;

/// <summary>
/// One rule of the constitution: a stable id (<c>L0-NAME-001</c>: level, area, number), a severity and the message
/// a violation carries. Ids never change meaning and are never reused; docs/CONSTITUTION.md lists every rule.
/// </summary>
/// <param name="Id">Stable id: <c>L0-…</c> for rules on every entity, <c>L1-…</c> for rules on one type.</param>
/// <param name="Severity">Whether a violation blocks certification.</param>
/// <param name="AppliesTo">The one type an L1 rule checks; null for L0 rules, which check every type.</param>
/// <param name="Message">What a violation says; never quotes the offending text (it may be a secret).</param>
public sealed record Rule(string Id, Severity Severity, EntityType? AppliesTo, string Message)
{
    /// <summary>0 for rules on every entity, 1 for rules on one type.</summary>
    public int Level => AppliesTo is null ? 0 : 1;
}

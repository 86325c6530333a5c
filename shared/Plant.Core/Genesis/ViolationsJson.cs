using System.Text.Json;
using Plant.Core.Constitution;

namespace Plant.Core.Genesis;

/// <summary>How constitution violations are written into <c>entity_version.violations</c> and into audit details.</summary>
public static class ViolationsJson
{
    /// <summary>The violations as a JSON array of <c>{ ruleId, severity, field, message }</c>.</summary>
    public static string Serialize(ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JsonSerializer.Serialize(report.Violations, GenesisJsonContext.Default.IReadOnlyListViolation);
    }

    /// <summary>What an audit entry keeps of a report: rule, severity and field of each violation (the messages are in the rules).</summary>
    internal static ViolationSummary[] Summary(ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return [.. report.Violations.Select(v => new ViolationSummary(v.RuleId, v.Severity, v.Field))];
    }

    /// <summary>One violation in an audit entry: <c>{ ruleId, severity, field }</c>.</summary>
    internal sealed record ViolationSummary(string RuleId, Severity Severity, string Field);
}

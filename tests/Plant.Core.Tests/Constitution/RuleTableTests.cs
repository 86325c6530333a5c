using Plant.Core.Constitution;
using Xunit;

namespace Plant.Core.Tests.Constitution;

/// <summary>Every rule against its table of breaking and passing drafts (<see cref="RuleCases"/>).</summary>
public sealed class RuleTableTests
{
    public static TheoryData<string> CaseNames => [.. RuleCases.All.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Each_case_breaks_its_rule_at_its_field_or_passes_every_rule(string name)
    {
        var rule = RuleCases.All[name];
        var report = ConstitutionValidator.Validate(rule.Draft, rule.Facts);

        if (rule.Breaks)
        {
            var hits = report.Violations.Where(v => v.RuleId == rule.RuleId).ToList();
            Assert.NotEmpty(hits);
            Assert.Contains(hits, v => v.Field == rule.Field);
            var definition = ConstitutionRules.Find(rule.RuleId)!;
            Assert.All(hits, v => Assert.Equal(definition.Severity, v.Severity));
            Assert.All(hits, v => Assert.StartsWith(definition.Message, v.Message, StringComparison.Ordinal));
            Assert.Equal(definition.Severity == Severity.Warning && report.Violations.All(v => v.Severity == Severity.Warning), report.Valid);
        }
        else
        {
            Assert.Empty(report.Violations);
            Assert.True(report.Valid);
        }
    }

    [Fact]
    public void Every_rule_has_a_breaking_and_a_passing_case()
    {
        var missing = ConstitutionRules.All
            .Where(rule => !RuleCases.All.Values.Any(c => c.RuleId == rule.Id && c.Breaks) || !RuleCases.All.Values.Any(c => c.RuleId == rule.Id && !c.Breaks))
            .Select(rule => rule.Id);

        Assert.Empty(missing);
        Assert.All(RuleCases.All.Values, c => Assert.NotNull(ConstitutionRules.Find(c.RuleId)));
    }
}

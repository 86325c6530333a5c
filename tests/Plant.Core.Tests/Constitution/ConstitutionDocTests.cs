using System.Text.RegularExpressions;
using Plant.Core.Constitution;
using Plant.Testing;
using Xunit;

namespace Plant.Core.Tests.Constitution;

/// <summary>docs/CONSTITUTION.md and the rules in code cannot drift apart.</summary>
public sealed partial class ConstitutionDocTests
{
    private static readonly string s_doc = File.ReadAllText(RepositoryFolder.Path("docs", "CONSTITUTION.md"));

    [Fact]
    public void Every_rule_in_code_is_in_the_doc_and_the_doc_names_no_other()
    {
        var inDoc = RuleId().Matches(s_doc).Select(m => m.Value).ToHashSet();
        var inCode = ConstitutionRules.All.Select(r => r.Id).ToHashSet();

        Assert.Empty(inCode.Except(inDoc));
        Assert.Empty(inDoc.Except(inCode));
    }

    [Fact]
    public void Each_rules_section_gives_its_severity_and_exact_message()
    {
        foreach (var rule in ConstitutionRules.All)
        {
            var section = Section(rule.Id);
            var severity = rule.Severity == Severity.Error ? "error" : "warning";
            Assert.True(section.Contains($"- Severity: {severity}\n", StringComparison.Ordinal), $"{rule.Id}: severity {severity} not in its section");
            Assert.True(section.Contains($"- Message: \"{rule.Message}\"", StringComparison.Ordinal), $"{rule.Id}: message not in its section");
            Assert.Contains("- Checks: ", section, StringComparison.Ordinal);
            Assert.Contains("- Why: ", section, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Ids_are_unique_well_formed_and_leveled_by_what_they_apply_to()
    {
        Assert.Equal(ConstitutionRules.All.Count, ConstitutionRules.All.Select(r => r.Id).Distinct().Count());
        Assert.All(ConstitutionRules.All, r => Assert.Matches(RuleId(), r.Id));
        Assert.All(ConstitutionRules.All, r => Assert.Equal(r.Id[1] - '0', r.Level));
        Assert.All(ConstitutionRules.All.Where(r => r.Level == 1), r => Assert.Contains(r.AppliesTo!.Value.ToString().ToUpperInvariant(), r.Id, StringComparison.Ordinal));
    }

    /// <summary>The text from a rule's "### id" heading to the next heading.</summary>
    private static string Section(string id)
    {
        var start = s_doc.IndexOf($"### {id}:", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section for {id}");
        var end = s_doc.IndexOf("\n#", start + 1, StringComparison.Ordinal);
        return end < 0 ? s_doc[start..] : s_doc[start..end];
    }


    [GeneratedRegex(@"L[01]-[A-Z]+-\d{3}")]
    private static partial Regex RuleId();
}

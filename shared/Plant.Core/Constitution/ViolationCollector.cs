using System.Globalization;

namespace Plant.Core.Constitution;

/// <summary>
/// Gathers the violations of one validation. Its list is created at the first violation, so a draft that passes
/// allocates nothing here; passed by <c>ref</c> through the checks.
/// </summary>
internal ref struct ViolationCollector
{
    private List<Violation>? _violations;

    /// <summary>Records a breach of <paramref name="rule"/> at <paramref name="field"/>, with an optional detail after the rule's message.</summary>
    public void Add(Rule rule, string field, string? detail = null) =>
        (_violations ??= []).Add(new Violation(rule.Id, rule.Severity, field, detail is null ? rule.Message : rule.Message + " " + detail));

    /// <summary>The report: the shared clean report when nothing was recorded.</summary>
    public readonly ValidationReport ToReport() => _violations is null ? ValidationReport.Clean : new ValidationReport(_violations);

    /// <summary>The path of a list element: <c>tags[2]</c>.</summary>
    public static string Element(string list, int index) => string.Create(CultureInfo.InvariantCulture, $"{list}[{index}]");

    /// <summary>Records one violation per kind of sensitive content found in a field.</summary>
    public void AddSensitive(SensitiveKind kinds, string field)
    {
        if ((kinds & SensitiveKind.Email) != 0)
        {
            Add(ConstitutionRules.NoEmail, field);
        }

        if ((kinds & SensitiveKind.Phone) != 0)
        {
            Add(ConstitutionRules.NoPhone, field);
        }

        if ((kinds & SensitiveKind.PaymentCard) != 0)
        {
            Add(ConstitutionRules.NoPaymentCard, field);
        }

        if ((kinds & SensitiveKind.ApiKey) != 0)
        {
            Add(ConstitutionRules.NoApiKey, field);
        }

        if ((kinds & SensitiveKind.BearerToken) != 0)
        {
            Add(ConstitutionRules.NoBearerToken, field);
        }

        if ((kinds & SensitiveKind.PrivateKey) != 0)
        {
            Add(ConstitutionRules.NoPrivateKey, field);
        }
    }
}

using Plant.Core.Catalog;
using static Plant.Core.Constitution.ConstitutionLimits;
using static Plant.Core.Constitution.ConstitutionRules;

namespace Plant.Core.Constitution;

/// <summary>The L0 checks of the fields every draft has: name, description, tags (attributes: <see cref="AttributeRules"/>).</summary>
internal static class CommonRules
{
    public static void Check(EntityDraft draft, ReferenceFacts facts, ref ViolationCollector violations)
    {
        CheckName(draft.Name, facts, ref violations);
        CheckDescription(draft.Description, ref violations);
        CheckTags(draft.Tags, ref violations);
        AttributeRules.Check(draft.Attributes, ref violations);
    }

    private static void CheckName(string? name, ReferenceFacts facts, ref ViolationCollector violations)
    {
        const string field = "name";
        if (string.IsNullOrWhiteSpace(name))
        {
            violations.Add(NamePresent, field);
            return;
        }

        if (TextChecks.HasSurroundingWhiteSpace(name))
        {
            violations.Add(NameTrimmed, field);
        }

        if (name.Length is < NameMinLength or > NameMaxLength)
        {
            violations.Add(NameLength, field, $"It has {name.Length}.");
        }

        if (TextChecks.HasControlCharacters(name, allowLineBreaks: false))
        {
            violations.Add(NameCharacters, field);
        }

        if (facts.NameTaken)
        {
            violations.Add(NameUnique, field);
        }

        violations.AddSensitive(SensitiveText.Find(name), field);
    }

    private static void CheckDescription(string? description, ref ViolationCollector violations)
    {
        const string field = "description";
        if (string.IsNullOrWhiteSpace(description))
        {
            violations.Add(DescriptionPresent, field);
            return;
        }

        var length = description.AsSpan().Trim().Length;
        if (length is < DescriptionMinLength or > DescriptionMaxLength)
        {
            violations.Add(DescriptionLength, field, $"It has {length}.");
        }

        if (!TextChecks.HasWords(description, DescriptionMinWords))
        {
            violations.Add(DescriptionWords, field);
        }

        if (TextChecks.HasControlCharacters(description, allowLineBreaks: true))
        {
            violations.Add(DescriptionCharacters, field);
        }

        violations.AddSensitive(SensitiveText.Find(description), field);
    }

    private static void CheckTags(IReadOnlyList<string>? tags, ref ViolationCollector violations)
    {
        if (tags is null || tags.Count == 0)
        {
            return;
        }

        if (tags.Count > MaxTags)
        {
            violations.Add(TagCount, "tags", $"It has {tags.Count}.");
            return;
        }

        for (var i = 0; i < tags.Count; i++)
        {
            var tag = tags[i];
            if (string.IsNullOrEmpty(tag) || tag.Length > TagMaxLength || TextChecks.HasSurroundingWhiteSpace(tag)
                || TextChecks.HasControlCharacters(tag, allowLineBreaks: false))
            {
                violations.Add(TagShape, ViolationCollector.Element("tags", i));
            }

            if (tag is null)
            {
                continue;
            }

            for (var j = 0; j < i; j++)
            {
                if (string.Equals(tags[j], tag, StringComparison.OrdinalIgnoreCase))
                {
                    violations.Add(TagDistinct, ViolationCollector.Element("tags", i));
                    break;
                }
            }

            var kinds = SensitiveText.Find(tag);
            if (kinds != SensitiveKind.None)
            {
                violations.AddSensitive(kinds, ViolationCollector.Element("tags", i));
            }
        }
    }
}

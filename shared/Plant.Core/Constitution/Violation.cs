namespace Plant.Core.Constitution;

/// <summary>A rule a draft breaks, and where.</summary>
/// <param name="RuleId">The broken rule's <see cref="Rule.Id"/>.</param>
/// <param name="Severity">The rule's severity.</param>
/// <param name="Field">The draft's field, as a path of its JSON names: <c>name</c>, <c>tags[2]</c>, <c>attributes.contact.email</c>, <c>requiredSkillIds[1]</c>.</param>
/// <param name="Message">The rule's message, followed by what was found where that helps (an id, a count); never the offending text itself.</param>
public sealed record Violation(string RuleId, Severity Severity, string Field, string Message);

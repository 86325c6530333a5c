namespace Plant.Core.Catalog;

/// <summary>
/// The enumerated values of the catalog schema (V0001's CHECK constraints), as the drafts carry them: plain
/// lower-case strings, so that an unknown value is a constitution violation naming the field rather than a JSON error.
/// </summary>
public static class CatalogValues
{
    /// <summary>Skill categories (<c>catalog.skill.category</c>).</summary>
    public static IReadOnlyList<string> SkillCategories { get; } =
        ["technical", "analytical", "communication", "domain", "creative", "operational"];

    /// <summary>Job role seniorities (<c>catalog.job_role.seniority</c>), junior to principal.</summary>
    public static IReadOnlyList<string> Seniorities { get; } = ["junior", "mid", "senior", "lead", "principal"];

    /// <summary>Agent availabilities (<c>catalog.agent.availability</c>).</summary>
    public static IReadOnlyList<string> Availabilities { get; } = ["available", "busy", "unavailable"];

    /// <summary>The currency of an agent that names none (the schema's default).</summary>
    public const string DefaultCurrency = "USD";

    /// <summary>The availability of an agent that names none (the schema's default).</summary>
    public const string DefaultAvailability = "available";

    /// <summary>Whether <paramref name="value"/> is a skill category (exact match).</summary>
    public static bool IsSkillCategory(string? value) => value is "technical" or "analytical" or "communication" or "domain" or "creative" or "operational";

    /// <summary>Whether <paramref name="value"/> is a seniority (exact match).</summary>
    public static bool IsSeniority(string? value) => value is "junior" or "mid" or "senior" or "lead" or "principal";

    /// <summary>Whether <paramref name="value"/> is an availability (exact match).</summary>
    public static bool IsAvailability(string? value) => value is "available" or "busy" or "unavailable";
}

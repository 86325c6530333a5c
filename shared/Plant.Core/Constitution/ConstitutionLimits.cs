namespace Plant.Core.Constitution;

/// <summary>The numbers the rules check against, in one place (docs/CONSTITUTION.md quotes them).</summary>
public static class ConstitutionLimits
{
    /// <summary>Shortest name, in UTF-16 code units.</summary>
    public const int NameMinLength = 2;

    /// <summary>Longest name, in UTF-16 code units (the schema allows 200; 120 keeps names readable in lists).</summary>
    public const int NameMaxLength = 120;

    /// <summary>Shortest description: one real sentence (the baseline's shortest is 58).</summary>
    public const int DescriptionMinLength = 40;

    /// <summary>Longest description.</summary>
    public const int DescriptionMaxLength = 4000;

    /// <summary>Fewest words in a description.</summary>
    public const int DescriptionMinWords = 5;

    /// <summary>Most tags on one entity.</summary>
    public const int MaxTags = 20;

    /// <summary>Longest tag.</summary>
    public const int TagMaxLength = 50;

    /// <summary>Largest attributes object, as compact JSON in UTF-8 bytes.</summary>
    public const int AttributesMaxBytes = 8192;

    /// <summary>Deepest nesting of attributes: the object itself is depth 1.</summary>
    public const int AttributesMaxDepth = 5;

    /// <summary>Longest attribute key, at any depth.</summary>
    public const int AttributeKeyMaxLength = 64;

    /// <summary>Most ids in one reference list (required skills, members, skills).</summary>
    public const int MaxReferences = 100;

    /// <summary>Highest hourly price that <c>numeric(10, 2)</c> holds.</summary>
    public const decimal MaxPricePerHour = 99_999_999.99m;

    /// <summary>Most decimal places of a price.</summary>
    public const int PriceMaxDecimals = 2;
}

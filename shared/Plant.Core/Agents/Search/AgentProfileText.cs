using System.Security.Cryptography;
using System.Text;

namespace Plant.Core.Agents.Search;

/// <summary>
/// The text an agent is searched by: its name, description, skills, job role and industry, in that order. No
/// labels ("Skills:"): words shared by every profile would only add the same component to every vector.
/// </summary>
/// <remarks>
/// The skills are written <see cref="SkillRepeats"/> times. Customers search by skill more than by anything else,
/// and in a bag-of-features embedding a phrase written twice weighs twice as much against the description. Measured
/// on the seed (tests/Plant.Agents.Tests, SearchTests): with the skills written once, a search for "SQL and Data
/// Modeling" put a credit-model validator without that skill among the ten holders of it, because "model" fills its
/// description; written twice, a search for each of the 19 skills ranks the agents holding it first, and searches by
/// description words ("chargeback disputes") still find the agent that describes them.
/// </remarks>
public static class AgentProfileText
{
    /// <summary>How many times the skill list is written into the profile text.</summary>
    public const int SkillRepeats = 2;

    /// <summary>The profile text; skill names in ordinal order, so that the text does not depend on storage order.</summary>
    public static string Compose(string name, string description, IEnumerable<string> skills, string? jobRole, string? industry)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(skills);
        var text = new StringBuilder(name.Length + description.Length + 160);
        text.Append(name).Append(". ").Append(description.Trim());
        var sorted = skills.Order(StringComparer.Ordinal).ToList();
        if (sorted.Count > 0)
        {
            for (var i = 0; i < SkillRepeats; i++)
            {
                text.Append(' ').AppendJoin(", ", sorted).Append('.');
            }
        }

        if (!string.IsNullOrEmpty(jobRole))
        {
            text.Append(' ').Append(jobRole).Append('.');
        }

        if (!string.IsNullOrEmpty(industry))
        {
            text.Append(' ').Append(industry).Append('.');
        }

        return text.ToString();
    }

    /// <summary>
    /// The key a stored embedding is filed under: SHA-256 of the embedder's identity and the text, so that a change
    /// of either makes the stored vector stale.
    /// </summary>
    public static byte[] Key(string embedderId, string profileText)
    {
        ArgumentNullException.ThrowIfNull(embedderId);
        ArgumentNullException.ThrowIfNull(profileText);
        return SHA256.HashData(Encoding.UTF8.GetBytes(embedderId + "\n" + profileText));
    }
}

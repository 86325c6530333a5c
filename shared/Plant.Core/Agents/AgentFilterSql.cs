using System.Text;
using Npgsql;

namespace Plant.Core.Agents;

/// <summary>
/// The SQL of <see cref="AgentFilter"/> over the current agent versions, aliased <c>v</c>
/// (<c>catalog.entity_version</c>) and <c>a</c> (<c>catalog.agent</c>). List queries and the pgvector search both use
/// it, and the in-process search index applies the same rules (<see cref="Search.AgentSearchIndex"/>); a test checks
/// that they agree.
/// </summary>
internal static class AgentFilterSql
{
    /// <summary>Appends <c>and ...</c> conditions to <paramref name="sql"/> and their parameters (prefixed <c>f_</c>).</summary>
    public static void Append(StringBuilder sql, NpgsqlParameterCollection parameters, AgentFilter filter)
    {
        var lifecycle = filter.Statuses.Where(s => s != AgentListingStatus.Rejected).Distinct().Select(Lifecycle).ToArray();
        var rejected = filter.Statuses.Contains(AgentListingStatus.Rejected);
        if (lifecycle.Length > 0)
        {
            parameters.AddWithValue("f_lifecycle", lifecycle);
            sql.Append(rejected
                ? " and ((v.status = any(@f_lifecycle) and v.certification_status <> 'rejected') or v.certification_status = 'rejected')"
                : " and v.status = any(@f_lifecycle) and v.certification_status <> 'rejected'");
        }
        else
        {
            sql.Append(" and v.certification_status = 'rejected'");
        }

        if (filter.Certified is { } certified)
        {
            sql.Append(certified ? " and v.certification_status = 'certified'" : " and v.certification_status <> 'certified'");
        }

        if (filter.Industry is { } industry)
        {
            parameters.AddWithValue("f_industry", industry);
            sql.Append(" and a.industry_id = @f_industry");
        }

        if (filter.JobRole is { } jobRole)
        {
            parameters.AddWithValue("f_job_role", jobRole);
            sql.Append(" and a.job_role_id = @f_job_role");
        }

        if (filter.Team is { } team)
        {
            parameters.AddWithValue("f_team", team);
            sql.Append(" and a.team_id = @f_team");
        }

        // One EXISTS per skill (agents holding all of them): PostgreSQL estimates each from the skill's statistics, so
        // it can walk agents in the page's order and stop at the limit. A GROUP BY ... HAVING count(*) = n form was
        // estimated at a handful of rows and made it collect and sort every match instead (111 ms against 3 ms for
        // two filters over 10,000 agents).
        var skills = filter.Skills.Distinct().ToArray();
        for (var i = 0; i < skills.Length; i++)
        {
            parameters.AddWithValue($"f_skill_{i}", skills[i]);
            sql.Append($" and exists (select 1 from catalog.agent_skill s where s.agent_version_id = v.version_id and s.skill_id = @f_skill_{i})");
        }

        if (!string.IsNullOrEmpty(filter.Text))
        {
            // ILIKE with the trigram indexes of V0001 on name and description; the text is matched literally.
            parameters.AddWithValue("f_text", "%" + EscapeLike(filter.Text) + "%");
            sql.Append(" and (v.name ilike @f_text or v.description ilike @f_text)");
        }
    }

    /// <summary>The lifecycle status column value of a listing status (not <see cref="AgentListingStatus.Rejected"/>).</summary>
    public static string Lifecycle(AgentListingStatus status) => status switch
    {
        AgentListingStatus.Draft => "draft",
        AgentListingStatus.Active => "active",
        AgentListingStatus.Suspended => "suspended",
        AgentListingStatus.Retired => "retired",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Rejected is a certification status, not a lifecycle status."),
    };

    /// <summary>The listing status of a version: rejected certification first, else its lifecycle status.</summary>
    public static string ListingStatus(string lifecycle, string certificationStatus) =>
        certificationStatus == "rejected" ? "rejected" : lifecycle;

    /// <summary>LIKE treats <c>%</c>, <c>_</c> and the escape character <c>\</c> specially; a search for them means them.</summary>
    private static string EscapeLike(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
}

namespace Plant.Core.Agents.Search;

/// <summary>
/// One current agent in the in-process search index: what the filters need, and its profile vector (unit length).
/// Name and description belong to the version and never change (versions are append-only); lifecycle and
/// certification can, and are read again on every refresh.
/// </summary>
internal sealed record IndexedAgent(
    Guid Id,
    Guid VersionId,
    AgentListingStatus Status,
    bool Certified,
    Guid IndustryId,
    Guid? JobRoleId,
    Guid? TeamId,
    Guid[] SkillIds,
    string Name,
    string Description,
    byte[] ProfileKey,
    float[] Vector)
{
    /// <summary>Whether the agent passes the filter; the same rules as <see cref="AgentFilterSql"/>.</summary>
    public bool Passes(AgentFilter filter, AgentListingStatus[] statuses)
    {
        if (Array.IndexOf(statuses, Status) < 0)
        {
            return false;
        }

        if (filter.Certified is { } certified && certified != Certified)
        {
            return false;
        }

        if (filter.Industry is { } industry && industry != IndustryId
            || filter.JobRole is { } jobRole && jobRole != JobRoleId
            || filter.Team is { } team && team != TeamId)
        {
            return false;
        }

        foreach (var skill in filter.Skills)
        {
            if (Array.BinarySearch(SkillIds, skill) < 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The listing status of a version: a rejected certification first, else its lifecycle.</summary>
    public static AgentListingStatus ListingStatus(string lifecycle, string certification) =>
        certification == "rejected"
            ? AgentListingStatus.Rejected
            : lifecycle switch
            {
                "draft" => AgentListingStatus.Draft,
                "active" => AgentListingStatus.Active,
                "suspended" => AgentListingStatus.Suspended,
                _ => AgentListingStatus.Retired,
            };
}

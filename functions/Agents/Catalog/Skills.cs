using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Npgsql;
using Plant.Agents.Wire;
using Plant.Core.Catalog;
using Plant.Hosting;

namespace Plant.Agents.Catalog;

/// <summary><c>GET /api/v1/skills</c> (filter <c>category</c>) and <c>GET /api/v1/skills/{id}</c>.</summary>
public sealed class Skills(CatalogQueries catalog, NpgsqlDataSource dataSource)
{
    private static readonly Dictionary<string, int> s_categories =
        CatalogQueries.SkillCategories.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);

    [Function(nameof(ListSkills))]
    [EndpointSummary("List skills")]
    [EndpointDescription("Current, active skills by name, in keyset pages; answers 304 to If-None-Match while the catalog has not changed.")]
    [SkillCategory]
    [Paged(CatalogRoutes.DefaultLimit, CatalogQueries.MaximumLimit)]
    public Task<Conditional<Page<SkillDto>>> ListSkills(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/skills")] HttpRequest request,
        CancellationToken cancellationToken) =>
        CatalogRoutes.ListAsync<SkillView, SkillDto>(request, dataSource, query =>
        {
            var category = query.Choice("category", s_categories) is { } index ? CatalogQueries.SkillCategories[index] : null;
            return (limit, cursor) => catalog.ListSkillsAsync(category, limit, cursor, cancellationToken);
        }, SkillDto.From, cancellationToken);

    [Function(nameof(GetSkill))]
    [EndpointSummary("Get a skill")]
    public Task<Results<Conditional<SkillDto>, ProblemHttpResult>> GetSkill(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/skills/{id:guid}")] HttpRequest request,
        Guid id,
        CancellationToken cancellationToken) =>
        CatalogRoutes.GetAsync(request, id, dataSource, "skill", skillId => catalog.GetSkillAsync(skillId, cancellationToken), SkillDto.From, cancellationToken);
}

/// <summary><c>category</c>: one of the catalog's skill categories.</summary>
internal sealed class SkillCategoryAttribute : ApiParametersAttribute
{
    public override IEnumerable<ApiParameter> Parameters =>
        [new("category", ParameterLocation.Query, "Only skills of this category.", typeof(string), Values: CatalogQueries.SkillCategories)];
}

using System.Globalization;
using Npgsql;
using Plant.Agents.Tests.Support;
using Plant.Core.Agents;
using Plant.Core.Agents.ReadModel;
using Plant.Core.Catalog;
using Plant.Core.Paging;
using Plant.Testing;

namespace Plant.Agents.Tests;

/// <summary>
/// The agents read model (<see cref="AgentReadModel"/>) answers exactly what the catalog query answers: over a
/// randomised catalog of more than 10,000 agents (names that begin alike but for case and accents, prices and creation
/// times with ties, every status), every filter and sort, page after page by cursor, with agents inserted, amended
/// (the cursor's own agent renamed, too) and retired between pages. A database of its own.
/// </summary>
public sealed class ReadModelTests(ReadModelTests.GeneratedCatalog catalog) : IClassFixture<ReadModelTests.GeneratedCatalog>
{
    private const int Generated = 10_000;

    private readonly PostgresDatabaseFixture _database = catalog;
    private readonly Guid[] _industries = catalog.Industries, _skills = catalog.Skills, _jobRoles = catalog.JobRoles, _teams = catalog.Teams;

    /// <summary>The seed catalog and 10,000 generated agents, in a database of its own.</summary>
    public sealed class GeneratedCatalog : PostgresDatabaseFixture
    {
        public Guid[] Industries { get; private set; } = [];

        public Guid[] Skills { get; private set; } = [];

        public Guid[] JobRoles { get; private set; } = [];

        public Guid[] Teams { get; private set; } = [];

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await TestCatalog.MigrateAndSeedAsync(DataSource);
            await GenerateAsync(DataSource, Generated, seed: 0.21);
            Industries = await IdsAsync(DataSource, "industry");
            Skills = await IdsAsync(DataSource, "skill");
            JobRoles = await IdsAsync(DataSource, "job_role");
            Teams = await IdsAsync(DataSource, "team");
        }
    }

    [Fact]
    public async Task Pages_from_memory_are_the_pages_of_the_query_while_the_catalog_changes()
    {
        var dataSource = _database.DataSource;
        var cursors = new PageCursors(dataSource);
        var query = new AgentQueries(dataSource, cursors);
        var model = new AgentReadModel(dataSource);
        var held = new AgentQueries(dataSource, cursors, model);
        var random = new Random(2026_12_08);
        var filters = new List<AgentFilter>
        {
            new(),
            new() { Industry = _industries[0] },
            new() { Statuses = [AgentListingStatus.Active, AgentListingStatus.Suspended, AgentListingStatus.Retired] },
            new() { Statuses = [AgentListingStatus.Rejected, AgentListingStatus.Draft], Certified = false },
            new() { Certified = true, Skills = [_skills[0]] },
            new() { Skills = [_skills[1], _skills[2]], Statuses = [AgentListingStatus.Active, AgentListingStatus.Retired] },
            new() { JobRole = _jobRoles[0], Statuses = Enum.GetValues<AgentListingStatus>() },
            new() { Team = _teams[0], Statuses = Enum.GetValues<AgentListingStatus>() },
        };

        var answeredBefore = model.Answers;
        foreach (var filter in filters)
        {
            foreach (var sort in Enum.GetValues<AgentSort>())
            {
                string? cursor = null;
                for (var page = 0; page < 6; page++)
                {
                    await model.RefreshAsync(CancellationToken.None);
                    var limit = random.Next(1, 101);
                    var expected = await query.ListAsync(filter, sort, limit, cursor, CancellationToken.None);
                    var actual = await held.ListAsync(filter, sort, limit, cursor, CancellationToken.None);
                    Assert.Equal(Describe(expected), Describe(actual));
                    Assert.Equal(expected.CatalogVersion, actual.CatalogVersion);
                    cursor = expected.NextCursor;
                    if (cursor is null)
                    {
                        break;
                    }

                    await ChangeAsync(dataSource, random, expected.Items[^1].Id);
                }
            }
        }

        // The comparison means something only if memory answered: it does unless a name cursor's agent was renamed.
        var fromMemory = model.Answers - answeredBefore;
        Assert.True(fromMemory > filters.Count * 5 * 3, $"only {fromMemory} pages came from memory");
    }

    [Fact]
    public async Task An_agent_and_search_cards_from_memory_are_those_of_the_query()
    {
        var dataSource = _database.DataSource;
        var cursors = new PageCursors(dataSource);
        var query = new AgentQueries(dataSource, cursors);
        var model = new AgentReadModel(dataSource);
        var held = new AgentQueries(dataSource, cursors, model);
        await model.RefreshAsync(CancellationToken.None);
        var everyone = await query.ListAsync(new AgentFilter { Statuses = Enum.GetValues<AgentListingStatus>() }, AgentSort.Newest, 100, null, CancellationToken.None);
        foreach (var statuses in new[] { AgentFilter.DefaultStatuses, [AgentListingStatus.Suspended, AgentListingStatus.Rejected], Enum.GetValues<AgentListingStatus>() })
        {
            foreach (var id in everyone.Items.Select(a => a.Id).Append(Guid.NewGuid()))
            {
                var (expected, expectedVersion) = await query.GetAsync(id, statuses, CancellationToken.None);
                var (actual, actualVersion) = await held.GetAsync(id, statuses, CancellationToken.None);
                Assert.Equal(expected is null ? "none" : Describe(expected), actual is null ? "none" : Describe(actual));
                Assert.Equal(expectedVersion, actualVersion);
            }

            // Search's result cards: the same agents, checked again against the statuses.
            var ids = everyone.Items.Select(a => a.Id).Append(Guid.NewGuid()).ToList();
            var cards = await held.GetManyAsync(ids, statuses, CancellationToken.None);
            var expectedCards = await query.GetManyAsync(ids, statuses, CancellationToken.None);
            Assert.Equal(expectedCards.OrderBy(c => c.Key).Select(c => Describe(c.Value)), cards.OrderBy(c => c.Key).Select(c => Describe(c.Value)));
        }
    }

    [Fact]
    public async Task A_filter_naming_nothing_is_refused_from_memory_as_by_the_query()
    {
        var dataSource = _database.DataSource;
        var model = new AgentReadModel(dataSource);
        var held = new AgentQueries(dataSource, new PageCursors(dataSource), model);
        await model.RefreshAsync(CancellationToken.None);

        // A skill id given as the industry: it names no industry.
        var refused = await Assert.ThrowsAsync<UnknownReferenceException>(
            () => held.ListAsync(new AgentFilter { Industry = _skills[0] }, AgentSort.Name, 20, null, CancellationToken.None));

        Assert.Equal(EntityType.Industry, refused.Type);
        Assert.Equal(model.CatalogVersion, await CatalogChanges.ReadVersionAsync(dataSource, CancellationToken.None));
    }

    [Fact]
    public async Task A_change_behind_the_apps_back_is_in_the_next_answer()
    {
        var dataSource = _database.DataSource;
        var model = new AgentReadModel(dataSource);
        var held = new AgentQueries(dataSource, new PageCursors(dataSource), model);
        await model.RefreshAsync(CancellationToken.None);
        var industry = await CatalogRows.InsertIndustryAsync(dataSource, $"Read model {Guid.NewGuid():N}");

        // Written straight into the database, as a migration or an operator would: the marker moves in the same commit.
        var agent = await CatalogRows.InsertAgentAsync(dataSource, "Behind the back", 10m, industry);
        var page = await held.ListAsync(new AgentFilter { Industry = industry }, AgentSort.Name, 20, null, CancellationToken.None);

        Assert.Equal([agent], page.Items.Select(a => a.Id));
        await CatalogRows.SetStatusAsync(dataSource, agent, "retired");
        Assert.Empty((await held.ListAsync(new AgentFilter { Industry = industry }, AgentSort.Name, 20, null, CancellationToken.None)).Items);
        Assert.Null((await held.GetAsync(agent, AgentFilter.DefaultStatuses, CancellationToken.None)).Agent);
    }

    /// <summary>One random change: an insert, an amendment (often of the cursor's own agent) or a retirement.</summary>
    private async Task ChangeAsync(NpgsqlDataSource dataSource, Random random, Guid cursorAgent)
    {
        switch (random.Next(4))
        {
            case 0:
                await CatalogRows.InsertAgentAsync(
                    dataSource, $"{Pick(random, s_names)} inserted {Guid.NewGuid():N}", 2.5m * random.Next(1, 40), Pick(random, _industries),
                    [Pick(random, _skills)], random.Next(2) == 0 ? null : Pick(random, _jobRoles), random.Next(2) == 0 ? null : Pick(random, _teams));
                break;
            case 1:
                await CatalogRows.AmendAgentAsync(dataSource, cursorAgent, name: $"{Pick(random, s_names)} renamed {Guid.NewGuid():N}");
                break;
            case 2:
                await CatalogRows.AmendAgentAsync(dataSource, await AnyAgentAsync(dataSource, random), description: $"amended {random.Next()}");
                break;
            default:
                await CatalogRows.SetStatusAsync(dataSource, await AnyAgentAsync(dataSource, random), "retired");
                break;
        }
    }

    private static readonly string[] s_names = ["alpha", "Alpha", "ALPHA", "beta", "Bêta", "émile", "Emile", "zed", "Zed", "ärger", "Ôde", "o'neil", "O Neil", "_under", "9 lives"];

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    private static async Task<Guid> AnyAgentAsync(NpgsqlDataSource dataSource, Random random)
    {
        await using var command = dataSource.CreateCommand(
            "select entity_id from catalog.entity_version where is_current and entity_type = 'agent' order by entity_id offset @skip limit 1");
        command.Parameters.AddWithValue("skip", random.Next(Generated));
        return (Guid)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<Guid[]> IdsAsync(NpgsqlDataSource dataSource, string type)
    {
        await using var command = dataSource.CreateCommand(
            "select entity_id from catalog.entity_version where is_current and entity_type = @type order by entity_id");
        command.Parameters.AddWithValue("type", type);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return [.. ids];
    }

    private static string Describe(AgentPage page) =>
        string.Join("\n", page.Items.Select(Describe).Append($"next: {page.NextCursor}"));

    private static string Describe(AgentView a) => string.Join('|',
        a.Id, a.Name, a.Description, a.Status, a.Lifecycle, a.Availability, a.PricePerHour.ToString(CultureInfo.InvariantCulture), a.Currency,
        a.Industry, a.JobRole, a.Team, string.Join(',', a.Skills), a.Certification, a.Version,
        a.CreatedAt.ToString("O", CultureInfo.InvariantCulture), a.UpdatedAt.ToString("O", CultureInfo.InvariantCulture), string.Join(',', a.Tags));

    /// <summary>
    /// Agents straight into the tables, in one transaction: names that begin alike but for case and accents (current
    /// names are unique under lower(), so each ends in its number), a few distinct prices and creation times (ties in every sort), every lifecycle and
    /// certification status, optional job roles and teams, zero to three skills.
    /// </summary>
    private static async Task GenerateAsync(NpgsqlDataSource dataSource, int count, double seed)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("""
            select setseed(@seed);
            create temporary table generated on commit drop as
            with ref as (
                select array(select entity_id from catalog.entity_version where is_current and entity_type = 'industry' order by entity_id) as industries,
                       array(select entity_id from catalog.entity_version where is_current and entity_type = 'job_role' order by entity_id) as roles,
                       array(select entity_id from catalog.entity_version where is_current and entity_type = 'team' order by entity_id) as teams,
                       array(select entity_id from catalog.entity_version where is_current and entity_type = 'skill' order by entity_id) as skills
            ), drawn as (
                select g, random() as r1, random() as r2, random() as r3, random() as r4, random() as r5, random() as r6, random() as r7,
                       random() as r8, random() as r9, random() as r10
                from generate_series(1, @count) g
            )
            select gen_random_uuid() as id, gen_random_uuid() as vid,
                   (array['alpha','Alpha','ALPHA','beta','Bêta','émile','Emile','zed','Zed','ärger','Ôde','o''neil','O Neil','_under','9 lives'])[1 + floor(r1 * 15)::int]
                       || ' ' || floor(r2 * 40)::int || ' ' || g as name,
                   2.5 * (1 + floor(r3 * 40)) as price,
                   timestamptz '2026-01-01 00:00:00+00' + floor(r4 * 600) * interval '1 second' + floor(r10 * 3) * interval '1 microsecond' as created,
                   (array['active','active','active','active','suspended','retired','draft'])[1 + floor(r5 * 7)::int] as status,
                   (array['certified','certified','certified','pending','rejected'])[1 + floor(r6 * 5)::int] as certification,
                   industries[1 + floor(r7 * cardinality(industries))::int] as industry,
                   case when r8 < 0.2 then null else roles[1 + floor(r8 * cardinality(roles))::int] end as role,
                   case when r9 < 0.5 then null else teams[1 + floor(r9 * cardinality(teams))::int] end as team,
                   array(select distinct skills[1 + floor(random() * cardinality(skills))::int] from generate_series(1, floor(r2 * 4)::int) where g > 0) as skill_ids
            from drawn, ref;
            insert into catalog.entity (entity_id, entity_type, created_by, created_at) select id, 'agent', 'test', created from generated;
            insert into catalog.entity_version
                (version_id, entity_id, entity_type, name, description, status, activated_at, suspended_at, retired_at, version, content_hash,
                 certification_status, certified_at, certificate_ref, created_by, updated_by)
            select vid, id, 'agent', name, 'Generated for the read model test.', status, created,
                   case when status = 'suspended' then created end, case when status = 'retired' then created end, 1, repeat('c', 64),
                   certification, case when certification <> 'pending' then created end, case when certification = 'certified' then 'test-certificate' end,
                   'test', 'test'
            from generated;
            insert into catalog.agent (version_id, job_role_id, industry_id, team_id, price_per_hour) select vid, role, industry, team, price from generated;
            insert into catalog.agent_skill (agent_version_id, skill_id) select vid, unnest(skill_ids) from generated;
            """, connection, transaction);
        command.Parameters.AddWithValue("seed", seed);
        command.Parameters.AddWithValue("count", count);
        await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
        await using var analyze = new NpgsqlCommand("analyze", connection);
        await analyze.ExecuteNonQueryAsync();
    }
}

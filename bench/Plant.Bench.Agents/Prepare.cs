using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Plant.Core.Configuration;
using Plant.Core.Data;
using Plant.Core.Embeddings;
using Plant.Core.Seed;
using Plant.Core.Signing;
using Plant.Testing;

namespace Plant.Bench.Agents;

/// <summary>
/// Migrates, seeds, and adds generated agents: each a copy of a seeded agent's role, industry and skills (plus one
/// random extra skill) with a description drawn from the seed's, a distinct name and a price. COPY keeps 10,000 of
/// them under a few seconds. Deterministic (fixed random seed), so runs compare.
/// </summary>
internal static class Prepare
{
    public static async Task RunAsync(string url, int extra)
    {
        await using var dataSource = PlantDataSource.Create(DatabaseUrl.Parse(url));
        // A throwaway signing key: the bench measures queries, not certificates.
        using var keys = SigningKeyRing.Create("bench", System.Security.Cryptography.RSA.Create(2048));
        await TestPipeline.Create(dataSource).UpAsync();
        await new CatalogSeeder(dataSource, new FeatureHashingEmbedder(), PlantSettings.Defaults(PlantEnvironment.Local), keys).SeedAsync();
        var existing = await ScalarAsync<long>(dataSource, "select count(*) from catalog.entity_version where entity_type = 'agent' and is_current and created_by = 'bench'");
        if (existing == 0 && extra > 0)
        {
            await GenerateAsync(dataSource, extra);
        }

        var industry = SeedIds.Entity("industry", "Healthcare");
        var skill = SeedIds.Entity("skill", "Medical Coding");
        var agent = SeedIds.Entity("agent", "Sentinel");
        var agents = await ScalarAsync<long>(dataSource, "select count(*) from catalog.entity_version where entity_type = 'agent' and is_current");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"agents={agents} industry={industry} skill={skill} agent={agent}"));
    }

    private static async Task GenerateAsync(NpgsqlDataSource dataSource, int count)
    {
        var random = new Random(20261121);
        var skills = GenesisBaseline.Skills.Select(s => SeedIds.Entity("skill", s.Name)).ToArray();
        var hash = new string('b', 64);
        var rows = Enumerable.Range(0, count).Select(i =>
        {
            var template = GenesisBaseline.Agents[random.Next(GenesisBaseline.Agents.Count)];
            var role = GenesisBaseline.JobRoles.Single(r => r.Name == template.JobRole);
            var agentSkills = role.RequiredSkills.Concat(template.ExtraSkills).Select(s => SeedIds.Entity("skill", s))
                .Append(skills[random.Next(skills.Length)]).Distinct().ToArray();
            return (
                Id: Guid.CreateVersion7(),
                Version: Guid.CreateVersion7(),
                Name: string.Create(CultureInfo.InvariantCulture, $"{template.Name} {i:D5}"),
                Description: template.Description,
                Role: SeedIds.Entity("job_role", role.Name),
                Industry: SeedIds.Entity("industry", role.Industry),
                Price: Math.Round(20m + (decimal)random.NextDouble() * 130m, 2),
                Skills: agentSkills);
        }).ToList();

        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var copy = await connection.BeginBinaryImportAsync("copy catalog.entity (entity_id, entity_type, created_by) from stdin (format binary)"))
        {
            foreach (var row in rows)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(row.Id, NpgsqlDbType.Uuid);
                await copy.WriteAsync("agent", NpgsqlDbType.Text);
                await copy.WriteAsync("bench", NpgsqlDbType.Text);
            }

            await copy.CompleteAsync();
        }

        await using (var copy = await connection.BeginBinaryImportAsync("""
            copy catalog.entity_version (version_id, entity_id, entity_type, name, description, status, activated_at, version, content_hash,
                                         certification_status, certified_at, certificate_ref, created_by, updated_by) from stdin (format binary)
            """))
        {
            var now = DateTime.UtcNow;
            foreach (var row in rows)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(row.Version, NpgsqlDbType.Uuid);
                await copy.WriteAsync(row.Id, NpgsqlDbType.Uuid);
                await copy.WriteAsync("agent", NpgsqlDbType.Text);
                await copy.WriteAsync(row.Name, NpgsqlDbType.Text);
                await copy.WriteAsync(row.Description, NpgsqlDbType.Text);
                await copy.WriteAsync("active", NpgsqlDbType.Text);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(1, NpgsqlDbType.Integer);
                await copy.WriteAsync(hash, NpgsqlDbType.Text);
                await copy.WriteAsync("certified", NpgsqlDbType.Text);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync("bench", NpgsqlDbType.Text);
                await copy.WriteAsync("bench", NpgsqlDbType.Text);
                await copy.WriteAsync("bench", NpgsqlDbType.Text);
            }

            await copy.CompleteAsync();
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "copy catalog.agent (version_id, job_role_id, industry_id, price_per_hour) from stdin (format binary)"))
        {
            foreach (var row in rows)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(row.Version, NpgsqlDbType.Uuid);
                await copy.WriteAsync(row.Role, NpgsqlDbType.Uuid);
                await copy.WriteAsync(row.Industry, NpgsqlDbType.Uuid);
                await copy.WriteAsync(row.Price, NpgsqlDbType.Numeric);
            }

            await copy.CompleteAsync();
        }

        await using (var copy = await connection.BeginBinaryImportAsync("copy catalog.agent_skill (agent_version_id, skill_id) from stdin (format binary)"))
        {
            foreach (var row in rows)
            {
                foreach (var skill in row.Skills)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(row.Version, NpgsqlDbType.Uuid);
                    await copy.WriteAsync(skill, NpgsqlDbType.Uuid);
                }
            }

            await copy.CompleteAsync();
        }

        await transaction.CommitAsync();
        await using var analyze = new NpgsqlCommand("analyze", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}

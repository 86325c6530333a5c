using System.Text;
using System.Text.Json;
using Plant.Core.Catalog;
using Plant.Core.Genesis;

namespace Plant.Core.Tests.Genesis;

/// <summary>The content hash's definition (docs/GENESIS.md), pinned byte for byte.</summary>
public sealed class EntityContentTests
{
    private static readonly Guid s_entity = Guid.Parse("6c1e0f5a-9d4b-4f51-8a57-0b1c5e7d2a90");
    private static readonly Guid s_industry = Guid.Parse("00000000-0000-4000-8000-000000000001");
    private static readonly Guid s_role = Guid.Parse("00000000-0000-4000-8000-000000000002");
    private static readonly Guid s_skillA = Guid.Parse("a0000000-0000-4000-8000-000000000000");
    private static readonly Guid s_skillB = Guid.Parse("0b000000-0000-4000-8000-000000000000");

    private static AgentDraft Agent => new()
    {
        Name = "Sentinel",
        Description = "Watches payments.",
        Tags = ["fraud", "cards"],
        Attributes = JsonElement.Parse("""{"z": 1, "a": {"y": "é", "b": [2.50, 1e2]}}"""),
        IndustryId = s_industry,
        JobRoleId = s_role,
        SkillIds = [s_skillA, s_skillB, s_skillA],
        Availability = "busy",
        PricePerHour = 85.5m,
        Currency = "USD",
    };

    [Fact]
    public void An_agents_canonical_content_has_every_member_sorted_ids_as_sets_and_the_price_as_a_string()
    {
        var content = new EntityContent(s_entity, 2, new string('f', 64), Agent);

        Assert.Equal(
            """{"attributes":{"a":{"b":[2.5,100],"y":"é"},"z":1},"availability":"busy","currency":"USD","description":"Watches payments.","entityId":"6c1e0f5a-9d4b-4f51-8a57-0b1c5e7d2a90","entityType":"agent","industryId":"00000000-0000-4000-8000-000000000001","jobRoleId":"00000000-0000-4000-8000-000000000002","name":"Sentinel","previousHash":"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff","pricePerHour":"85.50","schema":"plant.catalog.entity/1","skillIds":["0b000000-0000-4000-8000-000000000000","a0000000-0000-4000-8000-000000000000"],"tags":["fraud","cards"],"teamId":null,"version":2}""",
            Encoding.UTF8.GetString(content.ToCanonicalJson()));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content.ToCanonicalJson())), content.ComputeHash());
    }

    [Theory]
    [InlineData("industry", """{"attributes":{},"code":null,"description":"d","entityId":"6c1e0f5a-9d4b-4f51-8a57-0b1c5e7d2a90","entityType":"industry","name":"n","previousHash":null,"schema":"plant.catalog.entity/1","tags":[],"version":1}""")]
    [InlineData("skill", """{"attributes":{},"category":"domain","description":"d","entityId":"6c1e0f5a-9d4b-4f51-8a57-0b1c5e7d2a90","entityType":"skill","name":"n","previousHash":null,"schema":"plant.catalog.entity/1","tags":[],"version":1}""")]
    [InlineData("job_role", """{"attributes":{},"description":"d","entityId":"6c1e0f5a-9d4b-4f51-8a57-0b1c5e7d2a90","entityType":"job_role","industryId":null,"name":"n","previousHash":null,"requiredSkillIds":[],"schema":"plant.catalog.entity/1","seniority":"mid","tags":[],"version":1}""")]
    [InlineData("team", """{"attributes":{},"description":"d","entityId":"6c1e0f5a-9d4b-4f51-8a57-0b1c5e7d2a90","entityType":"team","jobRoleId":null,"memberAgentIds":[],"name":"n","previousHash":null,"schema":"plant.catalog.entity/1","tags":[],"version":1}""")]
    public void Every_type_writes_all_its_members_absent_ones_as_null(string type, string expected)
    {
        EntityDraft draft = type switch
        {
            "industry" => new IndustryDraft(),
            "skill" => new SkillDraft { Category = "domain" },
            "job_role" => new JobRoleDraft { Seniority = "mid" },
            _ => new TeamDraft(),
        };

        var content = new EntityContent(s_entity, 1, null, draft with { Name = "n", Description = "d" });

        Assert.Equal(expected, Encoding.UTF8.GetString(content.ToCanonicalJson()));
    }

    [Fact]
    public void What_the_rows_cannot_tell_apart_hashes_the_same()
    {
        var hash = new EntityContent(s_entity, 1, null, Agent).ComputeHash();

        // Id lists are sets; a price has the two places numeric(10, 2) keeps; null attributes are stored as {}.
        Assert.Equal(hash, new EntityContent(s_entity, 1, null, Agent with { SkillIds = [s_skillB, s_skillA] }).ComputeHash());
        Assert.Equal(hash, new EntityContent(s_entity, 1, null, Agent with { PricePerHour = 85.50m }).ComputeHash());
        var bare = Agent with { Attributes = JsonElement.Parse("null") };
        Assert.Equal(new EntityContent(s_entity, 1, null, Agent with { Attributes = JsonElement.Parse("{}") }).ComputeHash(),
            new EntityContent(s_entity, 1, null, bare).ComputeHash());
    }

    [Fact]
    public void Every_member_of_the_content_changes_the_hash()
    {
        var hash = new EntityContent(s_entity, 2, new string('f', 64), Agent).ComputeHash();
        EntityContent[] changed =
        [
            new(Guid.NewGuid(), 2, new string('f', 64), Agent),
            new(s_entity, 3, new string('f', 64), Agent),
            new(s_entity, 2, new string('e', 64), Agent),
            new(s_entity, 2, new string('f', 64), Agent with { Name = "Sentinel 2" }),
            new(s_entity, 2, new string('f', 64), Agent with { Description = "Watches payments!" }),
            new(s_entity, 2, new string('f', 64), Agent with { Tags = ["cards", "fraud"] }),
            new(s_entity, 2, new string('f', 64), Agent with { Attributes = JsonElement.Parse("""{"z": 2}""") }),
            new(s_entity, 2, new string('f', 64), Agent with { TeamId = s_role }),
            new(s_entity, 2, new string('f', 64), Agent with { SkillIds = [s_skillA] }),
            new(s_entity, 2, new string('f', 64), Agent with { Availability = "available" }),
            new(s_entity, 2, new string('f', 64), Agent with { PricePerHour = 85.51m }),
            new(s_entity, 2, new string('f', 64), Agent with { Currency = "EUR" }),
            new(s_entity, 2, new string('f', 64), Agent with { IndustryId = s_role }),
            new(s_entity, 2, new string('f', 64), Agent with { JobRoleId = s_industry }),
        ];

        Assert.All(changed, c => Assert.NotEqual(hash, c.ComputeHash()));
        Assert.Equal(changed.Length, changed.Select(c => c.ComputeHash()).Distinct().Count());
    }

    [Theory]
    [InlineData("0", "0.00")]
    [InlineData("0.5", "0.50")]
    [InlineData("85", "85.00")]
    [InlineData("85.5", "85.50")]
    [InlineData("85.500", "85.50")]
    [InlineData("99999999.99", "99999999.99")]
    [InlineData("-3.25", "-3.25")]
    [InlineData("1.005", "1.01")]
    public void A_price_is_written_as_the_two_place_text_the_rows_keep(string price, string expected)
    {
        var value = decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture);
        var content = new EntityContent(s_entity, 1, null, Agent with { PricePerHour = value });

        Assert.Equal(expected, EntityContent.Price(value));
        Assert.Contains($"\"pricePerHour\":\"{expected}\",", Encoding.UTF8.GetString(content.ToCanonicalJson()), StringComparison.Ordinal);
    }

    [Fact]
    public void A_content_that_cannot_be_written_leaves_the_next_hash_on_the_same_thread_unharmed()
    {
        var expected = new EntityContent(s_entity, 1, null, Agent).ComputeHash();
        var unwritable = new EntityContent(s_entity, 1, null, Agent with { Attributes = JsonElement.Parse("""{"a": {"b": [1e400]}}""") });

        Assert.Throws<Plant.Core.Canonical.CanonicalJsonException>(unwritable.ComputeHash);
        Assert.Equal(expected, new EntityContent(s_entity, 1, null, Agent).ComputeHash());
        Assert.Equal(expected, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(new EntityContent(s_entity, 1, null, Agent).ToCanonicalJson())));
    }

    [Fact]
    public void Contents_hashed_on_many_threads_at_once_hash_as_they_do_one_by_one()
    {
        var contents = Enumerable.Range(0, 64)
            .Select(i => new EntityContent(Guid.CreateVersion7(), 1 + i % 3, null, Agent with { Name = $"Sentinel {i}", Tags = [.. Enumerable.Repeat("t", i % 5)] }))
            .ToArray();
        var expected = contents.Select(c => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(c.ToCanonicalJson()))).ToArray();

        var mismatches = 0;
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            for (var round = 0; round < 200; round++)
            {
                for (var i = 0; i < contents.Length; i++)
                {
                    if (contents[i].ComputeHash() != expected[i])
                    {
                        Interlocked.Increment(ref mismatches);
                    }
                }
            }
        });

        Assert.Equal(0, mismatches);
    }

    [Fact]
    public void Id_sets_are_ordered_by_their_text_whichever_field_tells_them_apart()
    {
        string[] ids =
        [
            "ffffffff-0000-0000-0000-000000000000", "7fffffff-0000-0000-0000-000000000000", "80000000-0000-0000-0000-000000000000",
            "00000000-8000-0000-0000-000000000000", "00000000-7fff-0000-0000-000000000000", "00000000-0000-ff00-0000-000000000000",
            "00000000-0000-00ff-0000-000000000000", "00000000-0000-0000-8000-000000000000", "00000000-0000-0000-0000-0000000000ff",
            "00000000-0000-0000-0000-ff0000000000", "00000000-0000-0000-0001-000000000000", "00000000-0000-0000-0000-000000000000",
        ];
        var content = new EntityContent(s_entity, 1, null, Agent with { SkillIds = [.. ids.Select(Guid.Parse)] });

        using var canonical = JsonDocument.Parse(content.ToCanonicalJson());
        Assert.Equal(
            ids.Order(StringComparer.Ordinal),
            canonical.RootElement.GetProperty("skillIds").EnumerateArray().Select(id => id.GetString()));
    }
}

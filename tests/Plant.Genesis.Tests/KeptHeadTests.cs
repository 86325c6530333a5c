using System.Net;
using System.Text.Json;
using Plant.Core.Audit;
using Plant.Genesis.Tests.Support;
using Plant.Hosting;
using Plant.Testing;
using Plant.Testing.Hosting;

namespace Plant.Genesis.Tests;

/// <summary>
/// A caller keeps a signed head and later sends it back to <c>POST /audit/verify</c>, which says whether today's
/// chain extends it: the proof that the log only grew, which a superuser who removes the last entries and rewinds
/// the head cannot fake.
/// </summary>
public sealed class KeptHeadTests(ForgeableGenesis fixture) : IClassFixture<ForgeableGenesis>
{
    private const string Verify = "/api/v1/genesis/audit/verify";

    private GenesisDatabase Db => fixture.Db;

    [Fact]
    public async Task A_head_kept_earlier_is_extended_by_the_chain_after_more_writes()
    {
        var kept = (await VerifyAsync()).GetProperty("signedHead");
        Assert.Equal(HttpStatusCode.Created, (await Db.PostAsync("/api/v1/genesis/skills", Drafts.Skill())).StatusCode);

        var body = await VerifyAsync(kept);

        Assert.True(body.GetProperty("intact").GetBoolean(), body.ToString());
        Assert.True(body.GetProperty("head").GetProperty("sequence").GetInt64() > kept.GetProperty("sequence").GetInt64());
        var keptHead = body.GetProperty("keptHead");
        Assert.Equal((kept.GetProperty("sequence").GetInt64(), kept.GetProperty("hash").GetString(), true, JsonValueKind.Null), (
            keptHead.GetProperty("sequence").GetInt64(), keptHead.GetProperty("hash").GetString(), keptHead.GetProperty("extends").GetBoolean(),
            keptHead.GetProperty("problem").ValueKind));
    }

    [Fact]
    public async Task Removing_the_last_entries_and_rewinding_the_head_is_caught_by_the_recorded_head_and_by_the_kept_one()
    {
        var kept = (await VerifyAsync()).GetProperty("signedHead");
        var keptSequence = kept.GetProperty("sequence").GetInt64();
        var rewoundTo = keptSequence - 3;

        // As a superuser with every trigger off: the last three entries go, and the head row is rewound to match.
        await Db.ExecuteAsync($"""
            set session_replication_role = replica;
            delete from genesis.audit_entry where sequence > {rewoundTo};
            update genesis.audit_head set sequence = e.sequence, hash = e.hash from genesis.audit_entry e where e.sequence = {rewoundTo};
            reset session_replication_role;
            """);
        var recorded = await VerifyAsync();
        // The record of signed heads is in the database too: a careful superuser removes it as well.
        await Db.ExecuteAsync($"""
            set session_replication_role = replica;
            delete from genesis.audit_signed_head where sequence > {rewoundTo};
            reset session_replication_role;
            """);
        var unrecorded = await VerifyAsync(kept);
        // The chain grows again past the kept head through Genesis: intact, but not the chain the head was kept from.
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await Db.PostAsync("/api/v1/genesis/skills", Drafts.Skill())).StatusCode);
        }

        var regrown = await VerifyAsync(kept);

        Assert.False(recorded.GetProperty("intact").GetBoolean());
        Assert.Equal(rewoundTo + 1, recorded.GetProperty("brokenAt").GetInt64());
        Assert.Matches($@"^Plant signed a head at \d+ at .+, but the chain ends at {rewoundTo}: entries were removed$", recorded.GetProperty("problem").GetString());

        Assert.True(unrecorded.GetProperty("intact").GetBoolean(), "the chain alone cannot tell: it is consistent");
        Assert.Equal((false, $"the chain ends at {rewoundTo}, before the kept head at {keptSequence}: entries were removed"), KeptHead(unrecorded));

        Assert.True(regrown.GetProperty("intact").GetBoolean(), regrown.ToString());
        Assert.Equal((false, $"the chain's hash at {keptSequence} is not the kept head's: the chain was rewritten since"), KeptHead(regrown));
    }

    [Fact]
    public async Task A_kept_head_that_Plant_did_not_sign_is_not_extended()
    {
        var kept = (await VerifyAsync()).GetProperty("signedHead");
        var head = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(kept.GetRawText(), TestJson.Options)!;

        var otherHash = await VerifyAsync(With(head, "hash", new string('a', 64)));
        var otherKey = await VerifyAsync(With(head, "keyId", "k-not-ours"));

        Assert.False(KeptHead(otherHash).Extends);
        Assert.StartsWith("the kept head's signature does not verify: its signature is not one made by key", KeptHead(otherHash).Problem, StringComparison.Ordinal);
        Assert.Equal((false, "the kept head's signature does not verify: it names key 'k-not-ours', which no configured key has"), KeptHead(otherKey));
    }

    [Theory]
    [InlineData("""{"sequence":-1,"hash":"HASH","signedAt":"2026-12-01T00:00:00Z","keyId":"k","signature":"AA=="}""", "bad-request", "sequence")]
    [InlineData("""{"sequence":1,"hash":"xyz","signedAt":"2026-12-01T00:00:00Z","keyId":"k","signature":"AA=="}""", "bad-request", "hash")]
    [InlineData("""{"sequence":1,"hash":"HASH","signedAt":"2026-12-01T00:00:00Z","keyId":"k","signature":"AA==","algorithm":"HS256"}""", "bad-request", "algorithm")]
    [InlineData("""{"sequence":1,"hash":"HASH","signedAt":"2026-12-01T00:00:00Z","keyId":"","signature":"AA=="}""", "bad-request", "keyId")]
    [InlineData("""{"sequence":1,"hash":"HASH","signedAt":"2026-12-01T00:00:00Z","keyId":"k"}""", "malformed-json", null)]
    [InlineData("""{"sequence":"1","hash":"HASH","signedAt":"2026-12-01T00:00:00Z","keyId":"k","signature":"AA=="}""", "malformed-json", null)]
    [InlineData("""{"sequence":1,"hash":"HASH","signedAt":"yesterday","keyId":"k","signature":"AA=="}""", "malformed-json", null)]
    [InlineData("null", "malformed-json", null)]
    public async Task A_kept_head_in_another_shape_is_a_400_naming_the_member_and_records_nothing(string json, string slug, string? parameter)
    {
        var before = await Db.ScalarAsync<long>("select count(*) from genesis.audit_signed_head");
        using var request = TestHost.Request(HttpMethod.Post, Verify, TestHost.FunctionKey);
        request.Content = new StringContent(json.Replace("HASH", new string('0', 64), StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json");

        using var response = await Db.Host.Client.SendAsync(request);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, slug);
        if (parameter is not null)
        {
            Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
        }

        Assert.Equal(before, await Db.ScalarAsync<long>("select count(*) from genesis.audit_signed_head"));
    }

    private async Task<JsonElement> VerifyAsync(object? kept = null)
    {
        var response = kept is null ? await Db.GetAsync(Verify) : await Db.PostAsync(Verify, kept);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json.ReadAsync(response);
    }

    private static (bool Extends, string? Problem) KeptHead(JsonElement body) =>
        (body.GetProperty("keptHead").GetProperty("extends").GetBoolean(), body.GetProperty("keptHead").GetProperty("problem").GetString());

    private static Dictionary<string, JsonElement> With(Dictionary<string, JsonElement> head, string member, string value) =>
        new(head) { [member] = JsonSerializer.SerializeToElement(value, TestJson.Options) };
}

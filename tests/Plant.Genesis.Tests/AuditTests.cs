using System.Net;
using System.Text.Json;
using Plant.Core.Audit;
using Plant.Core.Signing;
using Plant.Genesis.Tests.Support;
using Plant.Testing.Hosting;
using Xunit;

namespace Plant.Genesis.Tests;

/// <summary>The audit trail through Genesis's routes: every write is an entry, the chain stays intact under concurrency.</summary>
[Collection(GenesisCollection.Name)]
public sealed class AuditTests(GenesisDatabase db)
{
    [Fact]
    public async Task Audit_verify_answers_intact_entries_and_a_signed_head()
    {
        var response = await db.GetAsync("/api/v1/genesis/audit/verify");

        var body = await Json.ReadAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body.GetProperty("intact").GetBoolean(), body.ToString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("brokenAt").ValueKind);
        var entries = body.GetProperty("entries").GetInt64();
        Assert.True(entries >= 88 * 2, $"the seed alone writes {88 * 2} entries or more; found {entries}");
        var head = body.GetProperty("signedHead");
        Assert.Equal(body.GetProperty("head").GetProperty("sequence").GetInt64(), head.GetProperty("sequence").GetInt64());
        var signed = new SignedAuditHead(head.GetProperty("sequence").GetInt64(), head.GetProperty("hash").GetString()!,
            head.GetProperty("signedAt").GetDateTimeOffset(), head.GetProperty("keyId").GetString()!, head.GetProperty("signature").GetString()!);
        Assert.Equal(SignatureCheck.Valid, signed.Check(db.Keys));
        Assert.Contains(db.Host.Logs.Lines, l => l.Message.Contains($"signed head {signed.Sequence} {signed.Hash}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sixteen_concurrent_writers_through_the_routes_keep_the_chain_intact_with_one_entry_per_write()
    {
        var before = await Json.ReadAsync(await db.GetAsync("/api/v1/genesis/audit/verify"));

        // Each writer creates an agent, amends it and certifies it: three audited writes, sixteen writers at once.
        var writers = Enumerable.Range(0, 16).Select(async i =>
        {
            var name = Drafts.Name($"Concurrent {i}");
            var created = await db.PostAsync("/api/v1/genesis/agents", Drafts.Agent(name));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var id = (await Json.ReadAsync(created)).GetProperty("id").GetGuid();
            Assert.Equal(HttpStatusCode.Created, (await db.PostAsync($"/api/v1/genesis/agents/{id}/amendments", Drafts.Agent(name, price: 10m + i), TestHost.FunctionKey, ("If-Match", "*"))).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await db.PostAsync($"/api/v1/genesis/agents/{id}/certify", key: TestHost.MasterKey)).StatusCode);
        });
        await Task.WhenAll(writers);

        var after = await Json.ReadAsync(await db.GetAsync("/api/v1/genesis/audit/verify"));
        Assert.True(after.GetProperty("intact").GetBoolean(), after.ToString());
        Assert.Equal(before.GetProperty("entries").GetInt64() + 16 * 3, after.GetProperty("entries").GetInt64());
        // No fork: sequences are dense and each entry's previous hash is the hash of the one before.
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            select count(*) from genesis.audit_entry e
            join genesis.audit_entry p on p.sequence = e.sequence - 1
            where e.prev_hash <> p.hash
            """));
    }

    [Fact]
    public async Task Every_write_records_who_did_what_to_which_version()
    {
        var created = await Json.ReadAsync(await db.PostAsync("/api/v1/genesis/skills", Drafts.Skill(), TestHost.FunctionKey, ("X-Plant-Actor", "portal:auditor")));
        var id = created.GetProperty("id").GetGuid();

        var details = await db.ScalarAsync<string>(
            "select actor || ' ' || action || ' ' || details::text from genesis.audit_entry where entity_id = @id", ("id", id));

        Assert.StartsWith("portal:auditor entity.created ", details, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(details[(details.IndexOf('{', StringComparison.Ordinal))..]);
        Assert.Equal(created.GetProperty("contentHash").GetString(), json.RootElement.GetProperty("contentHash").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("version").GetInt32());
    }
}

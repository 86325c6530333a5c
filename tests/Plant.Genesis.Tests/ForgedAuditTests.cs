using System.Net;
using Plant.Genesis.Tests.Support;

namespace Plant.Genesis.Tests;

/// <summary>
/// A superuser who turns the triggers off can change an entry's query columns without touching the canonical text
/// the hash covers. <c>/audit/verify</c> derives each column again from that text and reports the entry.
/// </summary>
public sealed class ForgedAuditTests(ForgeableGenesis fixture) : IClassFixture<ForgeableGenesis>
{
    private const long Forged = 150;

    [Theory]
    [InlineData("actor = 'mallory', details = details || '{\"forged\":true}'", "actor, details")]
    [InlineData("actor = 'mallory'", "actor")]
    [InlineData("action = 'entity.retired'", "action")]
    [InlineData("entity_id = '00000000-0000-0000-0000-000000000001'", "entity_id")]
    [InlineData("details = '{}'", "details")]
    [InlineData("occurred_at = occurred_at - interval '1 day'", "occurred_at")]
    public async Task An_entry_whose_columns_differ_from_its_canonical_text_breaks_the_chain_there(string forgery, string columns)
    {
        await ForgeAsync(forgery);
        try
        {
            var body = await Json.ReadAsync(await fixture.Db.GetAsync("/api/v1/genesis/audit/verify"));

            Assert.False(body.GetProperty("intact").GetBoolean(), body.ToString());
            Assert.Equal(Forged, body.GetProperty("brokenAt").GetInt64());
            Assert.Equal($"entry {Forged}'s stored {columns} differ from its canonical text, which its hash covers", body.GetProperty("problem").GetString());
        }
        finally
        {
            await RestoreAsync();
        }

        var restored = await Json.ReadAsync(await fixture.Db.GetAsync("/api/v1/genesis/audit/verify"));
        Assert.True(restored.GetProperty("intact").GetBoolean(), restored.ToString());
    }

    /// <summary>As a superuser with every trigger off (the append-only one included), as the attack in the report.</summary>
    private Task ForgeAsync(string assignments) => fixture.Db.ExecuteAsync($"""
        set session_replication_role = replica;
        update genesis.audit_entry set {assignments} where sequence = {Forged};
        reset session_replication_role;
        """);

    /// <summary>Derives the columns again from the canonical text, as the insert trigger did.</summary>
    private Task RestoreAsync() => fixture.Db.ExecuteAsync($"""
        set session_replication_role = replica;
        update genesis.audit_entry e set
            occurred_at = (c.entry ->> 'occurredAt')::timestamptz, actor = c.entry ->> 'actor', action = c.entry ->> 'action',
            entity_id = (c.entry ->> 'entityId')::uuid, details = c.entry -> 'details'
        from (select convert_from(canonical, 'UTF8')::jsonb as entry from genesis.audit_entry where sequence = {Forged}) c
        where e.sequence = {Forged};
        reset session_replication_role;
        """);
}

using Plant.Core.Audit;
using Plant.Core.Tests.Audit;
using Plant.Core.Tests.Signing;
using Plant.Testing;

namespace Plant.Core.Tests.Migrations;

/// <summary>
/// V0009 turns audit_entry's six generated query columns into plain ones that a trigger derives from the canonical
/// bytes. The append statement is the same on both sides of it, since the Migrate pipeline appends while older.
/// </summary>
public sealed class AuditDerivedColumnsMigrationTests
{
    private const string Columns = "sequence, occurred_at, actor, action, entity_id, details::text";

    [Fact]
    public async Task Appends_work_before_after_and_across_V0009_and_its_down_script_and_the_columns_keep_their_values()
    {
        await using var scratch = await ScratchDatabase.CreateAsync("mig_audit_cols");
        var trail = new AuditTrail(scratch.DataSource, TestKeys.Ring(), new ListLogger<AuditTrail>());
        await scratch.Pipeline().UpAsync(8);
        await AppendAsync(trail, 3);
        var generated = await RowsAsync(scratch);

        await scratch.Pipeline().UpAsync(9);
        Assert.Equal(0, await GeneratedColumnCountAsync(scratch));
        Assert.Equal(generated, await RowsAsync(scratch));
        await AppendAsync(trail, 3);
        var derived = await RowsAsync(scratch);

        await scratch.Pipeline().DownAsync(8);
        Assert.Equal(6, await GeneratedColumnCountAsync(scratch));
        Assert.Equal(derived, await RowsAsync(scratch));
        await AppendAsync(trail, 1);

        var verification = await trail.VerifyAsync(CancellationToken.None);
        Assert.True(verification.Intact, verification.Problem);
        Assert.Equal(7, verification.Entries);
        Assert.Equal(6, derived.Count);
    }

    private static async Task AppendAsync(AuditTrail trail, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await trail.AppendAsync(new AuditRecord("tester", "test.appended", Guid.NewGuid()), CancellationToken.None);
        }
    }

    private static async Task<List<string>> RowsAsync(ScratchDatabase scratch)
    {
        await using var command = scratch.DataSource.CreateCommand($"select concat_ws('|', {Columns}) from genesis.audit_entry order by sequence");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private static Task<long> GeneratedColumnCountAsync(ScratchDatabase scratch) => scratch.ScalarAsync<long>("""
        select count(*) from pg_attribute
        where attrelid = 'genesis.audit_entry'::regclass and attgenerated = 's' and not attisdropped
        """);
}

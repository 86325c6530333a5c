using Microsoft.Extensions.Logging.Abstractions;
using Plant.Core.Audit;
using Plant.Core.Retention;
using Plant.Migrate.Tests.Support;
using static Plant.Migrate.Tests.Support.RetentionDatabase;

namespace Plant.Migrate.Tests.Retention;

/// <summary>
/// The audit chain is cut at signed checkpoints, through the audit trail's own path, and still verifies. The
/// databases are not seeded: the seed appends to the chain, and these tests place every entry themselves.
/// </summary>
public sealed class AuditCutTests
{
    private static readonly DateTimeOffset s_cutoff = new(2026, 6, 1, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Entries_before_the_audit_cutoff_are_cut_at_a_signed_checkpoint_and_the_chain_verifies_from_it()
    {
        var db = new RetentionDatabase(seed: false);
        await db.InitializeAsync();
        try
        {
            var clock = new ManualClock(s_cutoff.AddSeconds(-10));
            var trail = new AuditTrail(db.DataSource, db.Keys, NullLogger<AuditTrail>.Instance, clock);
            await trail.AppendAsync(new AuditRecord("test", "test.old"), default);
            clock.Now = s_cutoff.AddSeconds(-1);
            var lastOld = await trail.AppendAsync(new AuditRecord("test", "test.old"), default);
            clock.Now = s_cutoff.AddSeconds(1);
            var firstNew = await trail.AppendAsync(new AuditRecord("test", "test.new"), default);

            var report = await db.Purge().RunAsync(At(s_cutoff, audit: s_cutoff), default);
            var verification = await db.Audit.VerifyAsync(default);

            Assert.Equal(lastOld.Sequence, report.Checkpoint!.Sequence);
            Assert.Equal(lastOld.Hash, report.Checkpoint.Hash);
            Assert.Equal(2L, Assert.Single(report.Steps, s => s.Name == "audit-entries").Rows["genesis.audit_entry"]);
            Assert.True(verification.Intact, verification.Problem);
            Assert.Equal(lastOld.Sequence, verification.StartCheckpoint!.Sequence);
            // What is left: the entry after the cutoff and the purge's own report.
            Assert.Equal(2L, verification.Entries);
            Assert.Equal(firstNew.Sequence, await db.ScalarAsync<long>("select min(sequence) from genesis.audit_entry"));
            Assert.Equal(report.AuditEntry!.Sequence, verification.Head.Sequence);
            Assert.Equal(RetentionPurge.PurgedAction, await db.ScalarAsync<string>("select action from genesis.audit_entry where sequence = @s", ("s", report.AuditEntry.Sequence)));
        }
        finally
        {
            await db.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_long_cut_goes_in_batches_each_at_its_own_checkpoint_and_the_chain_still_verifies()
    {
        var db = new RetentionDatabase(seed: false);
        await db.InitializeAsync();
        try
        {
            var trail = new AuditTrail(db.DataSource, db.Keys, NullLogger<AuditTrail>.Instance, new ManualClock(s_cutoff.AddDays(-1)));
            for (var i = 0; i < 5; i++)
            {
                await trail.AppendAsync(new AuditRecord("test", "test.old"), default);
            }

            var report = await db.Purge(new() { FixedBatchSize = 2 }).RunAsync(At(s_cutoff, audit: s_cutoff), default);
            var verification = await db.Audit.VerifyAsync(default);

            Assert.Equal(3, Assert.Single(report.Steps, s => s.Name == "audit-entries").Batches);
            Assert.Equal([2L, 4L, 5L], await CheckpointsAsync(db));
            Assert.True(verification.Intact, verification.Problem);
            Assert.Equal((5L, 1L), (verification.StartCheckpoint!.Sequence, verification.Entries));
        }
        finally
        {
            await db.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_chain_that_does_not_verify_is_not_cut_and_the_step_says_why()
    {
        var db = new RetentionDatabase(seed: false);
        await db.InitializeAsync();
        try
        {
            var trail = new AuditTrail(db.DataSource, db.Keys, NullLogger<AuditTrail>.Instance, new ManualClock(s_cutoff.AddDays(-1)));
            for (var i = 0; i < 3; i++)
            {
                await trail.AppendAsync(new AuditRecord("test", "test.old"), default);
            }

            // Tampering as a superuser can: triggers off, a hash changed.
            await db.ExecuteAsync("""
                alter table genesis.audit_entry disable trigger audit_entry_append_only;
                update genesis.audit_entry set hash = sha256('tampered') where sequence = 2;
                alter table genesis.audit_entry enable trigger audit_entry_append_only;
                """);

            var report = await db.Purge().RunAsync(At(s_cutoff, audit: s_cutoff), default);

            var step = Assert.Single(report.Steps, s => s.Name == "audit-entries");
            Assert.Equal(PurgeStepOutcome.Refused, step.Outcome);
            Assert.Contains("not cut", step.Reason, StringComparison.Ordinal);
            Assert.False(report.Completed);
            Assert.Equal(1L, await db.ScalarAsync<long>("select min(sequence) from genesis.audit_entry"));
            Assert.Empty(await CheckpointsAsync(db));
        }
        finally
        {
            await db.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_head_kept_before_a_cut_is_still_extended_through_the_checkpoint_the_purge_leaves_at_it()
    {
        var db = new RetentionDatabase(seed: false);
        await db.InitializeAsync();
        try
        {
            var trail = new AuditTrail(db.DataSource, db.Keys, NullLogger<AuditTrail>.Instance, new ManualClock(s_cutoff.AddDays(-1)));
            var first = await trail.AppendAsync(new AuditRecord("test", "test.old"), default);
            for (var i = 0; i < 2; i++)
            {
                await trail.AppendAsync(new AuditRecord("test", "test.old"), default);
            }

            // Signed and recorded at 3; then two more entries, and the purge cuts all five, two at a time.
            var kept = (await db.Audit.VerifyAsync(default)).SignedHead;
            for (var i = 0; i < 2; i++)
            {
                await trail.AppendAsync(new AuditRecord("test", "test.old"), default);
            }

            await db.Purge(new() { FixedBatchSize = 2 }).RunAsync(At(s_cutoff, audit: s_cutoff), default);
            var verification = await db.Audit.VerifyAsync(kept, default);
            // A head Plant never signed as the chain's (entry 1's, signed here) has no checkpoint after the cut.
            var unsigned = new SignedAuditHead(1, first.Hash, s_cutoff, db.Keys.ActiveKeyId, "");
            unsigned = unsigned with { Signature = db.Keys.Sign(unsigned.SignedBytes()).Value };
            var unrecorded = await db.Audit.VerifyAsync(unsigned, default);

            Assert.Equal(3L, kept.Sequence);
            Assert.Equal([2L, 3L, 4L, 5L], await CheckpointsAsync(db));
            Assert.True(verification.Intact, verification.Problem);
            Assert.Equal(5L, verification.StartCheckpoint!.Sequence);
            Assert.Equal((true, null), (verification.KeptHead!.Extends, verification.KeptHead.Problem));
            Assert.Equal((false, "entry 1 was cut by the retention purge, and no checkpoint keeps its hash"), (unrecorded.KeptHead!.Extends, unrecorded.KeptHead.Problem));
        }
        finally
        {
            await db.DisposeAsync();
        }
    }

    private static async Task<IReadOnlyList<long>> CheckpointsAsync(RetentionDatabase db)
    {
        await using var command = db.DataSource.CreateCommand("select sequence from genesis.audit_checkpoint order by sequence");
        await using var reader = await command.ExecuteReaderAsync();
        var sequences = new List<long>();
        while (await reader.ReadAsync())
        {
            sequences.Add(reader.GetInt64(0));
        }

        return sequences;
    }
}

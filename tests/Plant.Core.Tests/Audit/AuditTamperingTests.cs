using Microsoft.Extensions.Logging;
using Npgsql;
using Plant.Core.Audit;
using Plant.Core.Signing;
using Plant.Core.Tests.Signing;

namespace Plant.Core.Tests.Audit;

/// <summary>
/// What a database superuser can still do (switch the triggers off, edit rows) and what verification then says.
/// Each test breaks a chain of its own, in a database of its own.
/// </summary>
public sealed class AuditTamperingTests
{
    [Theory]
    [InlineData("update genesis.audit_entry set canonical = convert_to(replace(convert_from(canonical, 'UTF8'), '\"tester\"', '\"someone\"'), 'UTF8') where sequence = 7")]
    [InlineData("update genesis.audit_entry set hash = sha256(hash) where sequence = 7")]
    [InlineData("update genesis.audit_entry set prev_hash = sha256(prev_hash) where sequence = 7")]
    [InlineData("delete from genesis.audit_entry where sequence = 7")]
    public async Task An_entry_altered_or_removed_with_the_trigger_off_is_found_at_its_exact_position(string tampering)
    {
        await using var db = await AuditDatabase.CreateAsync();
        await db.AppendAsync(10);
        Assert.True((await db.Trail.VerifyAsync(CancellationToken.None)).Intact);

        await db.ExecuteAsync($"alter table genesis.audit_entry disable trigger user; {tampering}; alter table genesis.audit_entry enable trigger user");
        var verification = await db.Trail.VerifyAsync(CancellationToken.None);

        Assert.False(verification.Intact);
        Assert.Equal(7, verification.BrokenAt);
        Assert.Equal(tampering.StartsWith("delete", StringComparison.Ordinal) ? 9 : 10, verification.Entries);
        Assert.Contains(db.Logger.Lines, line => line.Level == LogLevel.Warning
            && line.Message.Contains("BROKEN at 7", StringComparison.Ordinal)
            && line.Message.Contains(verification.SignedHead.Signature, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Entries_removed_from_the_end_are_found_through_the_head()
    {
        await using var db = await AuditDatabase.CreateAsync();
        await db.AppendAsync(5);

        await db.ExecuteAsync("set session_replication_role = replica; delete from genesis.audit_entry where sequence >= 4; set session_replication_role = origin");
        var verification = await db.Trail.VerifyAsync(CancellationToken.None);

        Assert.False(verification.Intact);
        Assert.Equal(4, verification.BrokenAt);
        Assert.Contains("entries 4 to 5 are missing", verification.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cut_at_a_checkpoint_leaves_a_chain_that_verifies_from_the_checkpoint()
    {
        await using var db = await AuditDatabase.CreateAsync();
        await db.AppendAsync(12);
        var trail = db.Trail;

        var checkpoint = await trail.CheckpointAsync(8, CancellationToken.None);
        var removed = await trail.CutAsync(8, CancellationToken.None);
        await db.AppendAsync(2);
        var verification = await trail.VerifyAsync(CancellationToken.None);

        Assert.Equal(8, removed);
        Assert.True(verification.Intact, verification.Problem);
        Assert.Equal(6, verification.Entries);
        Assert.Equal(14, verification.Head.Sequence);
        Assert.Equal(checkpoint, verification.StartCheckpoint);
        Assert.Equal(SignatureCheck.Valid, checkpoint.Check(db.Keys));
        Assert.Equal(8, await db.ScalarAsync<long>("select min(sequence) - 1 from genesis.audit_entry"));
        Assert.Contains(db.Logger.Lines, line => line.Message.Contains($"Audit checkpoint at 8 {checkpoint.Hash}", StringComparison.Ordinal)
            && line.Message.Contains(checkpoint.Signature, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Everything_may_be_cut_and_the_chain_goes_on_from_the_checkpoint()
    {
        await using var db = await AuditDatabase.CreateAsync();
        await db.AppendAsync(3);
        var trail = db.Trail;

        await trail.CheckpointAsync(null, CancellationToken.None);
        await trail.CutAsync(3, CancellationToken.None);
        var empty = await trail.VerifyAsync(CancellationToken.None);
        await db.AppendAsync(1);
        var after = await trail.VerifyAsync(CancellationToken.None);

        Assert.True(empty.Intact, empty.Problem);
        Assert.Equal((0, 3), (empty.Entries, empty.Head.Sequence));
        Assert.True(after.Intact, after.Problem);
        Assert.Equal((1, 4), (after.Entries, after.Head.Sequence));
    }

    [Fact]
    public async Task A_forged_checkpoint_used_to_cut_the_chain_is_reported()
    {
        await using var db = await AuditDatabase.CreateAsync();
        await db.AppendAsync(10);
        // Whoever may insert checkpoints and call the cut function, but has no signing key, can cut: verification tells.
        await db.ExecuteAsync("""
            insert into genesis.audit_checkpoint (sequence, hash, key_id, signature, created_at)
            select sequence, hash, 'test-1', 'AAAA', now() from genesis.audit_entry where sequence = 5;
            select genesis.audit_cut(5);
            """);

        var verification = await db.Trail.VerifyAsync(CancellationToken.None);

        Assert.False(verification.Intact);
        Assert.Equal(5, verification.BrokenAt);
        Assert.Contains("the checkpoint at 5 does not verify", verification.Problem, StringComparison.Ordinal);
        Assert.Equal(5, verification.Entries);
    }

    [Fact]
    public async Task A_checkpoint_signed_by_an_unknown_key_is_reported_and_not_cut_at()
    {
        await using var db = await AuditDatabase.CreateAsync();
        await db.AppendAsync(6);
        using var otherKeys = SigningKeyRing.Create("other", TestKeys.Import(TestKeys.SecondPrivatePem));
        var foreign = await new AuditTrail(db.DataSource, otherKeys, new ListLogger<AuditTrail>()).CheckpointAsync(4, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<AuditException>(() => db.Trail.CutAsync(4, CancellationToken.None));
        var verification = await db.Trail.VerifyAsync(CancellationToken.None);

        Assert.Equal("other", foreign.KeyId);
        Assert.Contains("names key 'other'", refused.Message, StringComparison.Ordinal);
        Assert.Equal(6, await db.ScalarAsync<long>("select count(*) from genesis.audit_entry"));
        Assert.Equal((false, 4L), (verification.Intact, verification.BrokenAt));
    }

    [Fact]
    public async Task The_cut_function_needs_a_checkpoint_that_matches_the_chain()
    {
        await using var db = await AuditDatabase.CreateAsync();
        await db.AppendAsync(4);
        await db.ExecuteAsync("""
            insert into genesis.audit_checkpoint (sequence, hash, key_id, signature, created_at)
            values (2, sha256('not the hash'), 'test-1', 'AAAA', now())
            """);

        // As the owner: since V0008 only the owner (the retention purge) may call it.
        var none = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync("select genesis.audit_cut(3)"));
        var mismatch = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync("select genesis.audit_cut(2)"));
        var noCheckpoint = await Assert.ThrowsAsync<AuditException>(() => db.Trail.CutAsync(3, CancellationToken.None));

        Assert.Contains("no checkpoint at sequence 3", none.MessageText, StringComparison.Ordinal);
        Assert.Contains("does not match", mismatch.MessageText, StringComparison.Ordinal);
        Assert.Contains("no checkpoint at sequence 3", noCheckpoint.Message, StringComparison.Ordinal);
        Assert.Equal(4, await db.ScalarAsync<long>("select count(*) from genesis.audit_entry"));
    }

    [Fact]
    public async Task No_checkpoint_is_signed_over_a_broken_chain()
    {
        await using var db = await AuditDatabase.CreateAsync();
        await db.AppendAsync(5);
        await db.ExecuteAsync("alter table genesis.audit_entry disable trigger user; update genesis.audit_entry set hash = sha256(hash) where sequence = 2; alter table genesis.audit_entry enable trigger user");

        var error = await Assert.ThrowsAsync<AuditException>(() => db.Trail.CheckpointAsync(4, CancellationToken.None));

        Assert.Contains("broken at 2", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await db.ScalarAsync<long>("select count(*) from genesis.audit_checkpoint"));
    }
}

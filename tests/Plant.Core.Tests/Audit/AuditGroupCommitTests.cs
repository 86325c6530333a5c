using Npgsql;
using Plant.Core.Audit;

namespace Plant.Core.Tests.Audit;

/// <summary>
/// Appends in their own transactions that arrive while a group is being written go together in the next group.
/// The tests hold the chain's advisory lock from another session, so that nothing commits until they let go.
/// </summary>
public sealed class AuditGroupCommitTests
{
    [Fact]
    public async Task Appends_that_arrive_while_the_chain_is_locked_commit_together_in_order()
    {
        await using var db = await AuditDatabase.CreateAsync();
        await db.AppendAsync(2);
        var trail = db.Trail;

        List<Task<AuditEntry>> appends = [];
        await using (var holder = await LockChainAsync(db))
        {
            appends.Add(trail.AppendAsync(new AuditRecord("tester", "test.grouped-0"), CancellationToken.None));
            await holder.WaitForAGroupAsync();
            appends.AddRange(Enumerable.Range(1, 19).Select(i => trail.AppendAsync(new AuditRecord("tester", $"test.grouped-{i}"), CancellationToken.None)));
            Assert.DoesNotContain(appends, append => append.IsCompleted);
        }

        var entries = await Task.WhenAll(appends);
        var sequences = entries.Select(e => e.Sequence).ToArray();
        // The first group left alone; the nineteen that arrived while it waited went as one.
        var transactions = await db.ScalarAsync<long>(
            $"select count(distinct xmin::text) from genesis.audit_entry where sequence between {sequences[0]} and {sequences[^1]}");
        var actions = await ActionsAsync(db, sequences[0]);
        var verification = await trail.VerifyAsync(CancellationToken.None);

        Assert.Equal(Enumerable.Range(3, 20).Select(i => (long)i), sequences);
        Assert.Equal(2, transactions);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"test.grouped-{i}"), actions);
        Assert.True(verification.Intact, verification.Problem);
        Assert.Equal(22, verification.Entries);
    }

    [Fact]
    public async Task A_group_that_fails_appends_none_of_its_entries_and_the_next_group_goes_on()
    {
        await using var db = await AuditDatabase.CreateAsync();
        await db.AppendAsync(1);
        // The owner's own trigger stands in for a failure inside the group's transaction.
        await db.ExecuteAsync("""
            create function genesis.test_refuse_poison() returns trigger language plpgsql as $fn$
            begin
                if convert_from(new.canonical, 'UTF8') like '%test.poison%' then raise exception 'poisoned'; end if;
                return new;
            end; $fn$;
            create trigger test_refuse_poison before insert on genesis.audit_entry for each row execute function genesis.test_refuse_poison();
            """);
        var trail = db.Trail;

        Task<AuditEntry> first, poison, last;
        await using (var holder = await LockChainAsync(db))
        {
            first = trail.AppendAsync(new AuditRecord("tester", "test.first"), CancellationToken.None);
            await holder.WaitForAGroupAsync();
            poison = trail.AppendAsync(new AuditRecord("tester", "test.poison"), CancellationToken.None);
            last = trail.AppendAsync(new AuditRecord("tester", "test.last"), CancellationToken.None);
        }

        await first;
        Assert.Equal("poisoned", (await Assert.ThrowsAsync<PostgresException>(() => poison)).MessageText);
        Assert.Equal("poisoned", (await Assert.ThrowsAsync<PostgresException>(() => last)).MessageText);
        var after = await trail.AppendAsync(new AuditRecord("tester", "test.after"), CancellationToken.None);
        var actions = await ActionsAsync(db, 1);
        var verification = await trail.VerifyAsync(CancellationToken.None);

        Assert.Equal(["test.appended", "test.first", "test.after"], actions);
        Assert.Equal(3, after.Sequence);
        Assert.True(verification.Intact, verification.Problem);
    }

    [Fact]
    public async Task A_cancelled_wait_gives_up_the_wait_and_leaves_its_group_alone()
    {
        await using var db = await AuditDatabase.CreateAsync();
        var trail = db.Trail;
        using var cancel = new CancellationTokenSource();

        Task<AuditEntry> first, cancelled, other;
        await using (var holder = await LockChainAsync(db))
        {
            first = trail.AppendAsync(new AuditRecord("tester", "test.first"), CancellationToken.None);
            await holder.WaitForAGroupAsync();
            cancelled = trail.AppendAsync(new AuditRecord("tester", "test.cancelled"), cancel.Token);
            other = trail.AppendAsync(new AuditRecord("tester", "test.other"), CancellationToken.None);
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        }

        await first;
        var entry = await other;
        var verification = await trail.VerifyAsync(CancellationToken.None);

        // The cancelled entry was already queued for the next group: cancelling gave up the wait, not the entry.
        Assert.True(verification.Intact, verification.Problem);
        Assert.Equal(["test.first", "test.cancelled", "test.other"], await ActionsAsync(db, 1));
        Assert.Equal(3, entry.Sequence);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => trail.AppendAsync(new AuditRecord("tester", "test.never"), cancel.Token));
    }

    /// <summary>A session that holds the chain's lock until it is disposed.</summary>
    private static async Task<ChainLock> LockChainAsync(AuditDatabase db)
    {
        var connection = await db.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("select pg_advisory_lock(@key)", connection);
        command.Parameters.AddWithValue("key", AuditTrail.AppendLockKey);
        await command.ExecuteNonQueryAsync();
        return new ChainLock(db, connection);
    }

    private sealed class ChainLock(AuditDatabase db, NpgsqlConnection connection) : IAsyncDisposable
    {
        /// <summary>Waits until a group's transaction queues behind this lock: what arrives now goes in the next group.</summary>
        public async Task WaitForAGroupAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (await db.ScalarAsync<long>("""
                select count(*) from pg_stat_activity
                where datname = current_database() and wait_event_type = 'Lock' and wait_event = 'advisory'
                """) == 0)
            {
                await Task.Delay(10, timeout.Token);
            }
        }

        public async ValueTask DisposeAsync()
        {
            // Explicitly: a pooled connection would only drop its session lock when it is next used.
            await using (var command = new NpgsqlCommand("select pg_advisory_unlock(@key)", connection))
            {
                command.Parameters.AddWithValue("key", AuditTrail.AppendLockKey);
                await command.ExecuteNonQueryAsync();
            }

            await connection.DisposeAsync();
        }
    }

    private static async Task<List<string>> ActionsAsync(AuditDatabase db, long from)
    {
        await using var command = db.DataSource.CreateCommand("select action from genesis.audit_entry where sequence >= @from order by sequence");
        command.Parameters.AddWithValue("from", from);
        await using var reader = await command.ExecuteReaderAsync();
        var actions = new List<string>();
        while (await reader.ReadAsync())
        {
            actions.Add(reader.GetString(0));
        }

        return actions;
    }
}

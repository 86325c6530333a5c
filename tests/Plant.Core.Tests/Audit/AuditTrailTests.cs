using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Npgsql;
using Plant.Core.Audit;
using Plant.Core.Canonical;
using Plant.Core.Signing;

namespace Plant.Core.Tests.Audit;

/// <summary>Appends and verification on one shared, intact chain: no test here depends on another's entries.</summary>
public sealed class AuditTrailTests(AuditDatabase db) : IClassFixture<AuditDatabase>
{
    [Fact]
    public async Task Each_entry_holds_its_canonical_JSON_and_hashes_it_after_the_previous_hash()
    {
        var entityId = Guid.NewGuid();
        var details = JsonSerializer.SerializeToElement(
            new JsonObject { ["version"] = 2, ["contentHash"] = new string('a', 64), ["note"] = "é\"x" }, TestJsonContext.Default.JsonObject);

        var first = await db.Trail.AppendAsync(new AuditRecord("function-1", "entity.certified", entityId, details), CancellationToken.None);
        var second = await db.Trail.AppendAsync(new AuditRecord("master", "entity.suspended"), CancellationToken.None);

        Assert.Equal(first.Sequence + 1, second.Sequence);
        await using var command = db.DataSource.CreateCommand("""
            select canonical, prev_hash, hash, actor, action, entity_id, details::text, occurred_at
            from genesis.audit_entry where sequence = @sequence
            """);
        command.Parameters.AddWithValue("sequence", first.Sequence);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var canonical = reader.GetFieldValue<byte[]>(0);
        var previous = reader.GetFieldValue<byte[]>(1);
        var expectedJson =
            $$"""{"action":"entity.certified","actor":"function-1","details":{"contentHash":"{{new string('a', 64)}}","note":"é\"x","version":2},"entityId":"{{entityId}}","occurredAt":"{{first.OccurredAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'}}","sequence":{{first.Sequence}}}""";
        Assert.Equal(expectedJson, Encoding.UTF8.GetString(canonical));
        Assert.Equal(CanonicalJson.Canonicalize(canonical), canonical);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData([.. previous, .. canonical])), first.Hash);
        Assert.Equal(first.Hash, Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(2)));
        // The other columns are derived from the canonical bytes by the database, so they cannot disagree with them.
        Assert.Equal(("function-1", "entity.certified", entityId), (reader.GetString(3), reader.GetString(4), reader.GetGuid(5)));
        Assert.Equal("{\"note\": \"é\\\"x\", \"version\": 2, \"contentHash\": \"" + new string('a', 64) + "\"}", reader.GetString(6));
        Assert.Equal(first.OccurredAt, reader.GetFieldValue<DateTimeOffset>(7));
    }

    [Fact]
    public async Task An_entry_appended_in_a_rolled_back_transaction_leaves_no_trace_and_a_committed_one_stays()
    {
        var before = await db.ScalarAsync<long>("select sequence from genesis.audit_head");

        await using (var connection = await db.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await db.Trail.AppendAsync(new AuditRecord("tester", "entity.created"), transaction, CancellationToken.None);
            await transaction.RollbackAsync();
        }

        Assert.Equal(before, await db.ScalarAsync<long>("select sequence from genesis.audit_head"));
        Assert.False(await db.ScalarAsync<bool>($"select exists (select 1 from genesis.audit_entry where sequence > {before})"));

        AuditEntry committed;
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using (var write = new NpgsqlCommand("create temporary table written (id int) on commit drop", connection, transaction))
            {
                await write.ExecuteNonQueryAsync();
            }

            committed = await db.Trail.AppendAsync(new AuditRecord("tester", "entity.created"), transaction, CancellationToken.None);
            await transaction.CommitAsync();
        }

        Assert.Equal(before + 1, committed.Sequence);
        Assert.True((await db.Trail.VerifyAsync(CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task Sixteen_concurrent_writers_keep_one_unbroken_chain()
    {
        const int Writers = 16;
        const int EachWrites = 40;
        var before = await db.ScalarAsync<long>("select sequence from genesis.audit_head");
        var trail = db.Trail; // one per process, as registered: its appends in their own transactions are grouped
        using var start = new ManualResetEventSlim();

        var writers = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            start.Wait();
            var sequences = new List<long>();
            for (var i = 0; i < EachWrites; i++)
            {
                // Half of them append inside a transaction of their own making, as Genesis does.
                if (writer % 2 == 0)
                {
                    sequences.Add((await trail.AppendAsync(new AuditRecord($"writer-{writer}", "test.concurrent"), CancellationToken.None)).Sequence);
                    continue;
                }

                await using var connection = await db.DataSource.OpenConnectionAsync();
                await using var transaction = await connection.BeginTransactionAsync();
                sequences.Add((await trail.AppendAsync(new AuditRecord($"writer-{writer}", "test.concurrent"), transaction, CancellationToken.None)).Sequence);
                await transaction.CommitAsync();
            }

            return sequences;
        })).ToList();
        start.Set();
        var all = (await Task.WhenAll(writers)).SelectMany(s => s).Order().ToList();

        var verification = await db.Trail.VerifyAsync(CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, Writers * EachWrites).Select(i => before + i), all);
        Assert.True(verification.Intact, verification.Problem);
        Assert.Null(verification.BrokenAt);
        Assert.True(verification.Head.Sequence >= before + Writers * EachWrites);
        Assert.Equal(verification.Head.Sequence, verification.Entries);
    }

    [Fact]
    public async Task Verification_signs_the_head_and_logs_it()
    {
        var last = await db.Trail.AppendAsync(new AuditRecord("tester", "test.head"), CancellationToken.None);
        var trail = db.Trail;

        var verification = await trail.VerifyAsync(CancellationToken.None);

        Assert.True(verification.Intact);
        Assert.True(verification.Head.Sequence >= last.Sequence);
        var signed = verification.SignedHead;
        Assert.Equal((verification.Head.Sequence, verification.Head.Hash, "test-1"), (signed.Sequence, signed.Hash, signed.KeyId));
        Assert.Equal(SignatureCheck.Valid, signed.Check(db.Keys));
        Assert.Equal(SignatureCheck.Invalid, (signed with { Sequence = signed.Sequence + 1 }).Check(db.Keys));
        Assert.Equal(
            $$"""{"hash":"{{signed.Hash}}","purpose":"plant-audit-head","sequence":{{signed.Sequence}},"signedAt":"{{signed.SignedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'}}"}""",
            Encoding.UTF8.GetString(signed.SignedBytes()));
        Assert.Contains(db.Logger.Lines, line => line.Level == LogLevel.Information
            && line.Message.Contains(signed.Signature, StringComparison.Ordinal)
            && line.Message.Contains($"signed head {signed.Sequence} {signed.Hash}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", "entity.created")]
    [InlineData("tester", "Entity.Created")]
    [InlineData("tester", "")]
    [InlineData("line\nbreak", "entity.created")]
    public async Task A_malformed_record_is_refused_before_anything_is_written(string actor, string action)
    {
        var before = await db.ScalarAsync<long>("select sequence from genesis.audit_head");

        await Assert.ThrowsAsync<ArgumentException>(() => db.Trail.AppendAsync(new AuditRecord(actor, action), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => db.Trail.AppendAsync(
            new AuditRecord("tester", "entity.created", null, JsonElement.Parse("[1]")), CancellationToken.None));

        Assert.Equal(before, await db.ScalarAsync<long>("select sequence from genesis.audit_head"));
    }

    [Fact]
    public async Task The_query_columns_say_what_the_canonical_bytes_say_whatever_an_insert_gives_them()
    {
        var entityId = Guid.NewGuid();
        var canonical = $$"""{"action":"entity.retired","actor":"master","details":{"version":4},"entityId":"{{entityId}}","occurredAt":"2026-11-22T03:04:05.123456Z","sequence":987654}""";
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var insert = new NpgsqlCommand("""
            insert into genesis.audit_entry (sequence, occurred_at, actor, action, entity_id, details, canonical, prev_hash, hash)
            values (1, '2000-01-01Z', 'someone else', 'entity.certified', null, '{"version": 1}', convert_to(@canonical, 'UTF8'),
                    sha256('unused'), sha256('unused'))
            returning sequence, occurred_at, actor, action, entity_id, details::text
            """, connection, transaction);
        insert.Parameters.AddWithValue("canonical", canonical);
        await using var reader = await insert.ExecuteReaderAsync();

        Assert.True(await reader.ReadAsync());
        Assert.Equal(987654, reader.GetInt64(0));
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 3, 4, 5, TimeSpan.Zero).AddTicks(1_234_560), reader.GetFieldValue<DateTimeOffset>(1));
        Assert.Equal(("master", "entity.retired", entityId), (reader.GetString(2), reader.GetString(3), reader.GetGuid(4)));
        Assert.Equal("{\"version\": 4}", reader.GetString(5));
        // Rolled back when the transaction is disposed: the shared chain stays intact for the other tests.
    }

    [Theory]
    [InlineData("update genesis.audit_entry set canonical = canonical")]
    [InlineData("delete from genesis.audit_entry")]
    [InlineData("truncate genesis.audit_entry")]
    [InlineData("update genesis.audit_checkpoint set key_id = 'x'")]
    [InlineData("delete from genesis.audit_checkpoint")]
    [InlineData("delete from genesis.audit_head")]
    public async Task The_application_role_may_not_change_or_delete_audit_rows(string sql)
    {
        await db.AppendAsync(1);

        var error = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsApplicationAsync(sql));
        // Even with the flag genesis.audit_cut sets for itself, the role has no DELETE privilege.
        var withFlag = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsApplicationAsync(
            "set genesis.audit_cut = 'on'; delete from genesis.audit_entry"));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        Assert.Contains("permission denied", error.MessageText, StringComparison.Ordinal);
        Assert.Contains("permission denied", withFlag.MessageText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("update genesis.audit_entry set canonical = canonical", "UPDATE")]
    [InlineData("delete from genesis.audit_entry where false", "DELETE")]
    [InlineData("truncate genesis.audit_entry", "TRUNCATE")]
    [InlineData("truncate genesis.audit_checkpoint", "TRUNCATE")]
    public async Task Even_the_owner_is_stopped_by_the_append_only_trigger(string sql, string operation)
    {
        await db.AppendAsync(1);

        var error = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync(sql));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        Assert.Contains($"append-only: {operation} is not allowed", error.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_application_role_may_read_and_append()
    {
        await db.AppendAsync(1);

        await db.ExecuteAsApplicationAsync("select count(*) from genesis.audit_entry; select * from genesis.audit_checkpoint");
        var connection = await db.DataSource.OpenConnectionAsync();
        await using (connection)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var role = new NpgsqlCommand("set local role plant_app", connection, transaction))
            {
                await role.ExecuteNonQueryAsync();
            }

            var entry = await db.Trail.AppendAsync(new AuditRecord("app", "test.as_application"), transaction, CancellationToken.None);
            await transaction.CommitAsync();
            Assert.True(entry.Sequence > 0);
        }
    }
}

using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Plant.Core.Audit;
using Plant.Core.Migrations;
using Plant.Migrate.Tests.Support;
using Plant.Testing;

namespace Plant.Migrate.Tests.Pipeline;

/// <summary>Every recorded run, and every approval, is an entry of the hash-chained audit trail.</summary>
public sealed class AuditTests
{
    [Fact]
    public async Task Runs_and_approvals_are_appended_to_the_audit_trail_once_it_exists_and_the_chain_verifies()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_audit_runs");
        await using var fake = await FakeCloudSql.StartAsync();
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, null, "prod", fake.Settings());

        // Up to V0003, which creates the audit trail: approved before the trail exists, so that approval has no entry.
        var toV3 = await MigrateHosts.ApproveAsync(host, target: 3);
        var (firstStatus, first) = await MigrateHosts.PostAsync(host, "/api/v1/migrations/apply", new { approvalId = toV3 });
        var rest = await MigrateHosts.ApproveAsync(host);
        var (timerStatus, _) = await MigrateHosts.RunTimerAsync(host);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Accepted), (firstStatus, timerStatus));
        Assert.Equal(MigrationSet.Embedded.Latest, (await db.VersionsAsync()).Max());
        var entries = await EntriesAsync(db);
        Assert.Equal(
            [("key:master", "migration.up.succeeded"), ("key:master", "migration.approved"), ("timer:MigrateOnSchedule", "migration.up.succeeded")],
            entries.Select(e => (e.Actor, e.Action)));
        var runs = await db.RunsAsync();
        Assert.Equal(runs[0].Id.ToString(), entries[0].Details.GetProperty("runId").GetString());
        Assert.Equal(first.GetProperty("auditEntry").GetProperty("sequence").GetInt64(), entries[0].Sequence);
        Assert.Equal([1, 2, 3], entries[0].Details.GetProperty("ran").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal("succeeded", entries[0].Details.GetProperty("outcome").GetString());
        Assert.Equal((rest.ToString(), "Ada Operator"), (entries[1].Details.GetProperty("approvalId").GetString(), entries[1].Details.GetProperty("approvedBy").GetString()));
        Assert.Equal(runs[1].Id.ToString(), entries[2].Details.GetProperty("runId").GetString());

        using var keys = TestSigningKeys.Ring();
        var verification = await new AuditTrail(db.DataSource, keys, NullLogger<AuditTrail>.Instance).VerifyAsync(CancellationToken.None);
        Assert.True(verification.Intact, verification.Problem);
    }

    [Fact]
    public async Task A_run_at_a_version_without_the_audit_trail_says_so_in_its_report()
    {
        await using var db = await ScratchDatabase.CreateAsync("mig_audit_none");
        await using var host = await MigrateHosts.StartAsync(db.ConnectionString, TestSets.Tables(1), "local");

        var (status, report) = await MigrateHosts.PostAsync(host, "/api/v1/migrations/apply");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(JsonValueKind.Null, report.GetProperty("auditEntry").ValueKind);
        Assert.StartsWith("no audit trail at this schema version", report.GetProperty("auditProblem").GetString(), StringComparison.Ordinal);
    }

    private static async Task<List<(long Sequence, string Actor, string Action, JsonElement Details)>> EntriesAsync(ScratchDatabase db)
    {
        await using var command = db.DataSource.CreateCommand("select sequence, actor, action, details::text from genesis.audit_entry order by sequence");
        await using var reader = await command.ExecuteReaderAsync();
        var entries = new List<(long, string, string, JsonElement)>();
        while (await reader.ReadAsync())
        {
            using var details = JsonDocument.Parse(reader.GetString(3));
            entries.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), details.RootElement.Clone()));
        }

        return entries;
    }
}

using System.Globalization;
using System.Text.Json;
using Npgsql;
using Plant.Core.Audit;

namespace Plant.Core.Migrations.Runs;

public sealed partial class MigrationPipeline
{
    /// <summary>
    /// Approves the current plan to a target, up or (below the database's version) down: checked against the history under the migration lock, stored with
    /// its checksum, usable once until it expires (<c>PLANT_MIGRATE_APPROVAL_HOURS</c>). Writes an <c>approve</c> log line.
    /// </summary>
    /// <exception cref="MigrationRefusedException">A run is in progress, the history is refused, the target is wrong, nothing is pending, or the checksum is not the current plan's.</exception>
    public Task<MigrationApproval> ApproveAsync(ApprovalRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ApprovedBy);
        return LoggedAsync("approve", line => LockedAsync(request.LockWait, async connection =>
            {
                var applied = await ReadValidatedAsync(connection, ct);
                line.From = line.To = RunPlanner.CurrentVersion(applied);
                var plan = RunPlanner.Plan(_migrations, applied, request.TargetVersion ?? _migrations.Latest);
                if (plan.IsEmpty)
                {
                    throw new MigrationRefusedException(MigrationRefusal.NothingToApprove,
                        $"Nothing to approve: the database is already at V{Migration.FormatVersion(plan.TargetVersion)}.");
                }

                if (request.PlanChecksum is { } reviewed && !string.Equals(reviewed, plan.Checksum, StringComparison.Ordinal))
                {
                    // The current checksum is not echoed: an approval should come from reading the plan, not from this error.
                    throw new MigrationRefusedException(MigrationRefusal.PlanMismatch,
                        $"The checksum given is not the checksum of the current plan to V{Migration.FormatVersion(plan.TargetVersion)} (from V{Migration.FormatVersion(plan.FromVersion)}); review the plan again.");
                }

                var now = _time.GetUtcNow();
                var approval = new MigrationApproval(Guid.NewGuid(), plan.Operation, plan.TargetVersion, plan.Checksum, [.. plan.Migrations.Select(m => m.Version)],
                    request.ApprovedBy.Trim(), string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim(), now, now + _settings.Migrations.ApprovalLifetime, null, null);
                var details = JsonSerializer.SerializeToElement(new ApprovedDetails(
                    approval.Id,
                    approval.ApprovedBy,
                    MigrationRuns.Name(approval.Operation),
                    approval.TargetVersion,
                    approval.PlanChecksum,
                    approval.Versions,
                    approval.Note,
                    approval.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)), RunsJsonContext.Default.ApprovedDetails);

                // The approval and its audit entry commit together: an approval is never stored unrecorded. The append
                // is the transaction's last statement, as the audit trail asks.
                await RunTables.EnsureAsync(connection, ct);
                await using (var transaction = await connection.BeginTransactionAsync(ct))
                {
                    await MigrationApprovals.InsertAsync(connection, transaction, approval, ct);
                    if (_audit is not null && await AuditTrailExistsAsync(connection, ct))
                    {
                        await _audit.AppendAsync(new AuditRecord(request.Actor ?? approval.ApprovedBy, "migration.approved", null, details), transaction, ct);
                    }

                    await transaction.CommitAsync(ct);
                }

                line.To = plan.TargetVersion;
                line.Message = string.Create(CultureInfo.InvariantCulture,
                    $"{approval.ApprovedBy} approved {(approval.Operation == MigrationOperation.Up ? "" : "rollback ")}plan {approval.PlanChecksum} ({RunPlanner.Versions(approval.Versions)}) as {approval.Id}, until {approval.ExpiresAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}");
                return approval;
            },
            () => throw new MigrationRefusedException(MigrationRefusal.Busy, "A migration run is in progress; approve when it has finished."),
            ct));
    }
}

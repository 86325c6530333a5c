using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;
using Plant.Core.Configuration;

namespace Plant.Core.Trials;

/// <summary>
/// Trials of agents. A trial is a catalog entity (type <c>trial</c>): starting one writes version 1, cancelling writes
/// version 2 that supersedes it, so its history stays readable until the retention purge removes it. Its length is
/// <see cref="PlantSettings.TrialDays"/>.
/// </summary>
/// <remarks>
/// <para>Personal data: only the portal's customer id is stored (<c>catalog.trial.customer_ref</c>), because the
/// one-active-trial rule needs it. The e-mail address the portal sends is checked for shape and not stored: Plant
/// sends no mail, and a copy would be one more place an erasure request must reach.</para>
/// <para>Concurrency: starts for one customer and agent are serialised by a transaction-level advisory lock on
/// their hash, so two simultaneous starts give one trial and one 409; an Idempotency-Key is claimed by a unique
/// insert in the same transaction, so a retry running alongside the first request waits for it and then answers
/// its trial. A start shares the lock Genesis takes on the agent's entity row to write it, so an amendment,
/// certification, suspension or retirement in flight is either wholly before the start's check of the agent (which
/// then sees it) or waits for the trial to commit.</para>
/// <para>Data access: the reads of one row go through Dapper.AOT; the claim, the checks and the version writes stay
/// Npgsql batches, each one round trip (and the claim's outcome is its second statement's row count).</para>
/// </remarks>
public sealed class TrialService(NpgsqlDataSource dataSource, PlantSettings settings)
{
    // The current version of a trial (TrialRow), read alone or locked for a cancellation.
    private const string ReadSql = """
        select v.entity_id, t.agent_id, t.customer_ref, t.trial_status, t.starts_at, t.ends_at, t.cancelled_at, v.version,
               now() as now, v.version_id, v.activated_at
        from catalog.entity_version v
        join catalog.trial t on t.version_id = v.version_id
        where v.entity_id = @id and v.is_current and v.entity_type = 'trial'
        """;

    private const string ReadForUpdateSql = ReadSql + "\nfor update of v";

    private readonly NpgsqlDataSource _dataSource = dataSource;
    private readonly PlantSettings _settings = settings;

    /// <summary>Starts a trial of an active, certified agent for a customer, unless one is active already.</summary>
    /// <param name="agentId">The agent's entity id.</param>
    /// <param name="customerId">The portal's customer id (1 to 200 characters).</param>
    /// <param name="idempotencyKey">The request's Idempotency-Key, if any (1 to 255 characters).</param>
    /// <param name="actor">Who starts it, written into created_by and updated_by: the verified caller, or the user it acts for.</param>
    /// <param name="ct">Cancels the request.</param>
    public async Task<StartTrialResult> StartAsync(Guid agentId, string customerId, string? idempotencyKey, string actor, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var trialId = Guid.CreateVersion7();
        var requestHash = SHA256.HashData(Encoding.UTF8.GetBytes($"{agentId:D}\n{customerId}"));

        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            await using (var claim = new NpgsqlBatch(connection, transaction))
            {
                claim.BatchCommands.Add(Command(
                    "insert into catalog.entity (entity_id, entity_type, created_by) values (@id, 'trial', @actor)",
                    ("id", trialId), ("actor", actor)));
                if (idempotencyKey is not null)
                {
                    claim.BatchCommands.Add(Command(
                        """
                        insert into plant_agents.idempotency_key (idempotency_key, request_hash, trial_id)
                        values (@key, @hash, @id) on conflict (idempotency_key) do nothing
                        """,
                        ("key", idempotencyKey), ("hash", requestHash), ("id", trialId)));
                }

                await claim.ExecuteNonQueryAsync(ct);
                if (idempotencyKey is not null && claim.BatchCommands[1].RecordsAffected == 0)
                {
                    // The key is taken (if its request was still running, the insert waited for it to commit).
                    await transaction.RollbackAsync(ct);
                    return await ReplayAsync(connection, idempotencyKey, requestHash, ct);
                }
            }

            DateTime now;
            await using (var checks = new NpgsqlBatch(connection, transaction))
            {
                checks.BatchCommands.Add(Command("select pg_advisory_xact_lock(@lock)", ("lock", LockKey(agentId, customerId))));
                // Genesis holds the agent's entity row (for no key update) while it amends, certifies, suspends or
                // retires it: this waits for such a write to commit, and the next statement, with a new snapshot,
                // reads the agent as that write left it. Without it, a start that met an amendment found the old
                // version no longer current and the new one not yet visible, and answered that no such agent exists.
                checks.BatchCommands.Add(Command(
                    "select 1 from catalog.entity where entity_id = @agent and entity_type = 'agent' for share", ("agent", agentId)));
                checks.BatchCommands.Add(Command(
                    """
                    select v.status, v.certification_status from catalog.entity_version v
                    where v.entity_id = @agent and v.is_current and v.entity_type = 'agent'
                    for share
                    """,
                    ("agent", agentId)));
                checks.BatchCommands.Add(Command(
                    """
                    select v.entity_id from catalog.trial t
                    join catalog.entity_version v on v.version_id = t.version_id and v.is_current
                    where t.agent_id = @agent and t.customer_ref = @customer and t.trial_status = 'active' and t.ends_at > now()
                    limit 1
                    """,
                    ("agent", agentId), ("customer", customerId)));
                checks.BatchCommands.Add(Command("select now()"));
                await using var reader = await checks.ExecuteReaderAsync(ct);
                await reader.NextResultAsync(ct);
                await reader.NextResultAsync(ct);
                if (!await reader.ReadAsync(ct))
                {
                    return new StartTrialResult.UnknownAgent();
                }

                var (lifecycle, certification) = (reader.GetString(0), reader.GetString(1));
                if (lifecycle != "active" || certification != "certified")
                {
                    return new StartTrialResult.AgentUnavailable(lifecycle, certification);
                }

                await reader.NextResultAsync(ct);
                if (await reader.ReadAsync(ct))
                {
                    return new StartTrialResult.AlreadyActive(reader.GetGuid(0));
                }

                await reader.NextResultAsync(ct);
                await reader.ReadAsync(ct);
                now = reader.GetDateTime(0);
            }

            var trial = new TrialView(trialId, agentId, customerId, "active", now, now.AddDays(_settings.TrialDays), null, 1);
            await using (var insert = new NpgsqlBatch(connection, transaction))
            {
                var versionId = Guid.CreateVersion7();
                insert.BatchCommands.Add(VersionCommand(trial, versionId, null, "active", null, actor));
                insert.BatchCommands.Add(TrialCommand(trial, versionId, "active"));
                await insert.ExecuteNonQueryAsync(ct);
            }

            await transaction.CommitAsync(ct);
            return new StartTrialResult.Started(trial, Replayed: false);
        }
    }

    /// <summary>The current version of a trial, whatever its status, or null.</summary>
    public async Task<TrialView?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        return await ReadAsync(connection, null, id, forUpdate: false, ct) is { } row ? row.View : null;
    }

    /// <summary>Cancels an active trial: a new version, status cancelled, superseding the current one; <paramref name="actor"/> is written into its updated_by.</summary>
    public async Task<CancelTrialResult> CancelAsync(Guid id, string actor, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (await ReadAsync(connection, transaction, id, forUpdate: true, ct) is not { } current)
        {
            return new CancelTrialResult.NotFound();
        }

        switch (current.View.Status)
        {
            case "cancelled":
                return new CancelTrialResult.Cancelled(current.View, AlreadyCancelled: true);
            case not "active":
                return new CancelTrialResult.Ended(current.View);
        }

        var cancelled = current.View with { Status = "cancelled", CancelledAt = current.Now, Version = current.View.Version + 1 };
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            var versionId = Guid.CreateVersion7();
            batch.BatchCommands.Add(Command(
                "update catalog.entity_version set is_current = false, updated_at = now(), updated_by = @actor where version_id = @version",
                ("actor", actor), ("version", current.VersionId)));
            batch.BatchCommands.Add(VersionCommand(cancelled, versionId, current.VersionId, "retired", current.ActivatedAt, actor));
            batch.BatchCommands.Add(TrialCommand(cancelled, versionId, "cancelled"));
            await batch.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return new CancelTrialResult.Cancelled(cancelled, AlreadyCancelled: false);
    }

    private async Task<StartTrialResult> ReplayAsync(NpgsqlConnection connection, string idempotencyKey, byte[] requestHash, CancellationToken ct)
    {
        var claimed = await connection.QueryFirstOrDefaultAsync<ClaimedKey>(
            "select request_hash, trial_id from plant_agents.idempotency_key where idempotency_key = @key", new { key = idempotencyKey, ct })
            // Claimed and then purged with its trial in between: too unlikely to answer better than a retry.
            ?? throw new InvalidOperationException("The Idempotency-Key vanished while it was being replayed.");
        if (!CryptographicOperations.FixedTimeEquals(claimed.RequestHash, requestHash))
        {
            return new StartTrialResult.KeyReused();
        }

        var trial = await ReadAsync(connection, null, claimed.TrialId, forUpdate: false, ct)
            ?? throw new InvalidOperationException("The trial of an Idempotency-Key vanished while it was being replayed.");
        return new StartTrialResult.Started(trial.View, Replayed: true);
    }

    private static async Task<(TrialView View, Guid VersionId, DateTime? ActivatedAt, DateTime Now)?> ReadAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid id, bool forUpdate, CancellationToken ct)
    {
        // Two call sites, each with constant SQL, as Dapper.AOT wants.
        var row = forUpdate
            ? await connection.QueryFirstOrDefaultAsync<TrialRow>(ReadForUpdateSql, new { id, ct }, transaction)
            : await connection.QueryFirstOrDefaultAsync<TrialRow>(ReadSql, new { id, ct }, transaction);
        if (row is null)
        {
            return null;
        }

        var status = row.TrialStatus switch
        {
            "active" => row.EndsAt > row.Now ? "active" : "ended",
            "completed" => "ended",
            var other => other,
        };
        var view = new TrialView(row.EntityId, row.AgentId, row.CustomerRef, status, row.StartsAt, row.EndsAt, row.CancelledAt, row.Version);
        return (view, row.VersionId, row.ActivatedAt, row.Now);
    }

    private static NpgsqlBatchCommand VersionCommand(TrialView trial, Guid versionId, Guid? supersedes, string lifecycle, DateTime? activatedAt, string actor)
    {
        var command = Command(
            """
            insert into catalog.entity_version
                (version_id, entity_id, entity_type, name, description, status, activated_at, retired_at, version, supersedes,
                 content_hash, is_current, created_by, updated_by)
            values
                (@version_id, @id, 'trial', @name, '', @status, coalesce(@activated_at, now()),
                 case when @status = 'retired' then now() end, @version, @supersedes, @hash, true, @actor, @actor)
            """,
            ("version_id", versionId), ("id", trial.Id), ("name", $"trial {trial.Id:D}"), ("status", lifecycle),
            ("version", trial.Version), ("supersedes", supersedes), ("hash", ContentHash(trial)), ("actor", actor));
        command.Parameters.Add(new NpgsqlParameter<DateTime?>("activated_at", NpgsqlTypes.NpgsqlDbType.TimestampTz) { TypedValue = activatedAt });
        return command;
    }

    private static NpgsqlBatchCommand TrialCommand(TrialView trial, Guid versionId, string status)
    {
        var command = Command(
            """
            insert into catalog.trial (version_id, agent_id, customer_ref, starts_at, ends_at, trial_status, cancelled_at)
            values (@version_id, @agent, @customer, @starts, @ends, @status, @cancelled)
            """,
            ("version_id", versionId), ("agent", trial.AgentId), ("customer", trial.CustomerId),
            ("starts", trial.StartsAt.UtcDateTime), ("ends", trial.EndsAt.UtcDateTime), ("status", status));
        command.Parameters.Add(new NpgsqlParameter<DateTime?>("cancelled", NpgsqlTypes.NpgsqlDbType.TimestampTz) { TypedValue = trial.CancelledAt?.UtcDateTime });
        return command;
    }

    private static NpgsqlBatchCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>The advisory lock that serialises starts of one customer's trials of one agent.</summary>
    private static long LockKey(Guid agentId, string customerId) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"plant-trial\n{agentId:D}\n{customerId}")));

    /// <summary>SHA-256 of the version's content as JSON, as the column requires; times in UTC ticks-free ISO form.</summary>
    private static string ContentHash(TrialView trial) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(new SortedDictionary<string, object?>
        {
            ["agent_id"] = trial.AgentId,
            ["cancelled_at"] = trial.CancelledAt?.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["customer_ref"] = trial.CustomerId,
            ["ends_at"] = trial.EndsAt.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["entity_type"] = "trial",
            ["starts_at"] = trial.StartsAt.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["status"] = trial.Status,
        }, TrialsJsonContext.Default.SortedDictionaryStringObject)));

    /// <summary>An Idempotency-Key's row: the hash of the request that claimed it, and its trial.</summary>
    internal sealed record ClaimedKey(byte[] RequestHash, Guid TrialId);

    /// <summary>
    /// A trial's current version as stored, with the database's clock. Times are UTC DateTimes (timestamptz as
    /// Npgsql reads it), as the status check and the next version's activated_at parameter use them.
    /// </summary>
    internal sealed record TrialRow(
        Guid EntityId,
        Guid AgentId,
        string CustomerRef,
        string TrialStatus,
        DateTime StartsAt,
        DateTime EndsAt,
        DateTime? CancelledAt,
        int Version,
        DateTime Now,
        Guid VersionId,
        DateTime? ActivatedAt);
}

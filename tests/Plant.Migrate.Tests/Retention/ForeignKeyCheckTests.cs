using Npgsql;
using Plant.Core.Retention;
using Plant.Migrate.Tests.Support;
using static Plant.Migrate.Tests.Support.RetentionDatabase;

namespace Plant.Migrate.Tests.Retention;

/// <summary>
/// Trial batches skip PostgreSQL's per-row foreign key checks only when every reference onto the catalog's base
/// tables is one the purge accounts for; with the checks on, the result is the same.
/// </summary>
public sealed class ForeignKeyCheckTests
{
    private static readonly DateTimeOffset s_cutoff = new(2026, 6, 1, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Every_foreign_key_onto_the_catalog_s_base_tables_is_known_to_the_purge()
    {
        // Fails when a migration adds a reference to catalog.entity or catalog.entity_version: teach
        // ExpiredTrialsPass and ReferenceGuard about it, so that trials keep their fast path.
        await using var db = await StartAsync();
        await using var connection = await db.DataSource.OpenConnectionAsync();

        var (skip, reason) = await ReferenceGuard.DecideAsync(connection, allowed: true, default);

        Assert.True(skip, reason);
    }

    [Fact]
    public async Task With_the_checks_on_trials_go_exactly_as_with_them_skipped()
    {
        await using var db = await StartAsync();
        var gone = await db.InsertTrialAsync(s_cutoff.AddDays(-10), s_cutoff.AddDays(-3), idempotencyKey: "checked-" + Guid.NewGuid());
        var cancelled = await db.InsertTrialAsync(s_cutoff.AddDays(-2), s_cutoff.AddDays(5), cancelledAt: s_cutoff.AddDays(-1));
        var kept = await db.InsertTrialAsync(s_cutoff.AddDays(-1), s_cutoff.AddDays(6));

        var report = await db.Purge(new() { AllowSkippingForeignKeyChecks = false }).RunAsync(At(s_cutoff), default);

        Assert.StartsWith("foreign key checks on", report.ForeignKeyChecks, StringComparison.Ordinal);
        Assert.False(await db.ExistsAsync("catalog.entity", "entity_id", gone));
        Assert.False(await db.ExistsAsync("catalog.entity", "entity_id", cancelled));
        Assert.True(await db.ExistsAsync("catalog.entity", "entity_id", kept));
        Assert.Equal((2L, 3L, 3L, 1L), (report.Tables["catalog.entity"], report.Tables["catalog.entity_version"], report.Tables["catalog.trial"], report.Tables["plant_agents.idempotency_key"]));
    }

    [Fact]
    public async Task An_unknown_reference_to_a_trial_turns_the_checks_on_and_the_purge_fails_rather_than_leave_it_dangling()
    {
        await using var db = await StartAsync();
        await db.ExecuteAsync("""
            create table public.trial_note (
                trial_id   uuid not null,
                trial_type text not null default 'trial',
                foreign key (trial_id, trial_type) references catalog.entity (entity_id, entity_type))
            """);
        var noted = await db.InsertTrialAsync(s_cutoff.AddDays(-10), s_cutoff.AddDays(-3));
        await db.ExecuteAsync("insert into public.trial_note (trial_id) values (@t)", ("t", noted));

        var failure = await Assert.ThrowsAsync<PostgresException>(() => db.Purge().RunAsync(At(s_cutoff), default));

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, failure.SqlState);
        Assert.True(await db.ExistsAsync("catalog.entity", "entity_id", noted));
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var (skip, reason) = await ReferenceGuard.DecideAsync(connection, allowed: true, default);
        Assert.False(skip);
        Assert.Contains("public.trial_note(trial_id,trial_type) -> catalog.entity", reason, StringComparison.Ordinal);
    }

    private static async Task<Owned> StartAsync()
    {
        var db = new RetentionDatabase();
        await db.InitializeAsync();
        return new Owned(db);
    }

    /// <summary>A database per test: these tests change the schema or count globally.</summary>
    private sealed class Owned(RetentionDatabase db) : IAsyncDisposable
    {
        public NpgsqlDataSource DataSource => db.DataSource;

        public Task<Guid> InsertTrialAsync(DateTimeOffset startsAt, DateTimeOffset endsAt, DateTimeOffset? cancelledAt = null, string? idempotencyKey = null) =>
            db.InsertTrialAsync(startsAt, endsAt, cancelledAt, idempotencyKey: idempotencyKey);

        public Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters) => db.ExecuteAsync(sql, parameters);

        public Task<bool> ExistsAsync(string table, string column, Guid id) => db.ExistsAsync(table, column, id);

        internal RetentionPurge Purge(RetentionPurgeOptions? options = null) => db.Purge(options);

        public ValueTask DisposeAsync() => new(db.DisposeAsync());
    }
}

using Dapper;
using Npgsql;

namespace Plant.Core.Retention;

/// <summary>
/// Decides whether the trial batches may skip PostgreSQL's foreign key checks (<see cref="ExpiredTrialsPass"/>):
/// only when the role may set <c>session_replication_role</c>, and every foreign key onto catalog.entity and
/// catalog.entity_version is one the pass accounts for. A migration that adds a reference to either table makes
/// the guard fall back to checked deletes, and says which key it did not know, until the pass learns about it.
/// </summary>
internal static class ReferenceGuard
{
    /// <summary>
    /// Every foreign key onto the two tables, as <c>referencing(columns) -> referenced</c>, and why a trial's
    /// deletion cannot leave it dangling.
    /// </summary>
    private static readonly Dictionary<string, string> s_known = new(StringComparer.Ordinal)
    {
        // Deleted with the trial.
        ["catalog.entity_version(entity_id,entity_type) -> catalog.entity"] = "deleted with the trial",
        ["catalog.entity_version(supersedes) -> catalog.entity_version"] = "a version supersedes one of the same entity; all go together",
        ["catalog.trial(version_id,entity_type) -> catalog.entity_version"] = "deleted with the trial",
        ["catalog.relationship(version_id) -> catalog.entity_version"] = "deleted with the trial",
        ["plant_agents.idempotency_key(trial_id,trial_type) -> catalog.entity"] = "deleted with the trial",
        // Checked under the trial's row lock: a trial they point at is kept.
        ["catalog.relationship(target_id) -> catalog.entity"] = "a targeted trial is kept",
        ["catalog.certificate(entity_id) -> catalog.entity"] = "a certified trial is kept",
        ["catalog.certificate(version_id) -> catalog.entity_version"] = "a certified trial is kept (checked by entity)",
        // Their type column is fixed to another type by a CHECK: they cannot point at a trial.
        ["catalog.industry(version_id,entity_type) -> catalog.entity_version"] = "industry only",
        ["catalog.skill(version_id,entity_type) -> catalog.entity_version"] = "skill only",
        ["catalog.job_role(version_id,entity_type) -> catalog.entity_version"] = "job role only",
        ["catalog.team(version_id,entity_type) -> catalog.entity_version"] = "team only",
        ["catalog.agent(version_id,entity_type) -> catalog.entity_version"] = "agent only",
        ["catalog.job_role(industry_id,industry_type) -> catalog.entity"] = "industry only",
        ["catalog.job_role_skill(skill_id,skill_type) -> catalog.entity"] = "skill only",
        ["catalog.team(job_role_id,job_role_type) -> catalog.entity"] = "job role only",
        ["catalog.agent(job_role_id,job_role_type) -> catalog.entity"] = "job role only",
        ["catalog.agent(industry_id,industry_type) -> catalog.entity"] = "industry only",
        ["catalog.agent(team_id,team_type) -> catalog.entity"] = "team only",
        ["catalog.agent_skill(skill_id,skill_type) -> catalog.entity"] = "skill only",
        ["catalog.team_member(agent_id,agent_type) -> catalog.entity"] = "agent only",
        ["catalog.trial(agent_id,agent_type) -> catalog.entity"] = "agent only",
        ["catalog.agent_profile_embedding(agent_id,agent_type) -> catalog.entity"] = "agent only",
    };

    private const string ForeignKeysSql = """
        select rn.nspname || '.' || r.relname || '(' ||
               (select string_agg(a.attname, ',' order by k.ord)
                from unnest(c.conkey) with ordinality k(attnum, ord)
                join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum) || ') -> ' ||
               fn.nspname || '.' || f.relname
        from pg_constraint c
        join pg_class r on r.oid = c.conrelid join pg_namespace rn on rn.oid = r.relnamespace
        join pg_class f on f.oid = c.confrelid join pg_namespace fn on fn.oid = f.relnamespace
        where c.contype = 'f' and c.confrelid in ('catalog.entity'::regclass, 'catalog.entity_version'::regclass)
        order by 1
        """;

    /// <summary>Whether trial batches may skip foreign key checks, and why (or why not), for the report.</summary>
    public static async Task<(bool Skip, string Reason)> DecideAsync(NpgsqlConnection connection, bool allowed, CancellationToken ct)
    {
        if (!allowed)
        {
            return (false, "foreign key checks on: skipping them is turned off");
        }

        if (!await connection.ExecuteScalarAsync<bool>("select has_parameter_privilege('session_replication_role', 'SET')", new { ct }))
        {
            return (false, "foreign key checks on: the role may not set session_replication_role");
        }

        var keys = await connection.QueryAsync<string>(ForeignKeysSql, new { ct });
        var unknown = keys.Where(key => !s_known.ContainsKey(key)).ToList();
        return unknown.Count == 0
            ? (true, "foreign key checks skipped: every reference to a trial is deleted with it or checked under its row lock")
            : (false, $"foreign key checks on: the purge does not know the foreign key(s) {string.Join("; ", unknown)}");
    }
}

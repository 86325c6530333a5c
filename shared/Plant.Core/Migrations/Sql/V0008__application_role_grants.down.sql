-- Undoes V0008's privileges exactly: what it granted is revoked, and V0003's two audit grants it revoked are given
-- back. The plant_host tables stay: V0008 created them only where the host had not, so it cannot tell whose they
-- are, and they hold the timers' schedule state, which the host would otherwise lose.
grant execute on function genesis.audit_cut(bigint) to plant_app;
grant insert on genesis.audit_checkpoint to plant_app;

revoke update (invocation_id, received_at, finished_at, succeeded) on plant_host.scheduler_deliveries from plant_app;
revoke select, insert on plant_host.scheduler_deliveries from plant_app;
revoke insert on plant_host.timer_runs from plant_app;
revoke update (last_occurrence, next_occurrence, last_updated) on plant_host.timer_status from plant_app;
revoke select, insert on plant_host.timer_status from plant_app;
revoke usage on schema plant_host from plant_app;

revoke select, insert on plant_agents.cursor_key, plant_agents.idempotency_key from plant_app;
revoke usage on schema plant_agents from plant_app;

revoke update (profile_key, catalog_version, embedding, updated_at) on catalog.agent_profile_embedding from plant_app;
revoke select, insert on catalog.agent_profile_embedding from plant_app;
revoke update (version, changed_at, changed_by) on catalog.change_marker from plant_app;
revoke select on catalog.change_marker from plant_app;
revoke select, insert on catalog.industry, catalog.skill, catalog.job_role, catalog.job_role_skill, catalog.team,
    catalog.team_member, catalog.agent, catalog.agent_skill, catalog.trial, catalog.certificate from plant_app;
revoke update (status, activated_at, suspended_at, retired_at, is_current,
               certification_status, certified_at, certificate_ref, violations, updated_at, updated_by)
    on catalog.entity_version from plant_app;
revoke select, insert on catalog.entity_version from plant_app;
revoke update (entity_id) on catalog.entity from plant_app;
revoke select, insert on catalog.entity from plant_app;
revoke usage on schema catalog from plant_app;

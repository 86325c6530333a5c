-- V0008: what the function apps may do in the database, as role plant_app (docs/AUDIT.md, "Database users").
--
-- The Genesis and Agents apps connect as a login user that is a member of plant_app; the Migrate app connects as
-- the user that owns the schema (it runs migrations, the seed and the retention purge) and needs no grant. V0003
-- gave plant_app the audit schema only; this grants the rest of what the apps' code does at run time, and no more:
--
--   catalog        read what they read; insert new entities, versions, subtype and link rows, certificates and
--                  trials; update only the columns of a version that may move on (lifecycle, certification, the
--                  current flag, updated_at/by: what V0001's append-only trigger lets through, minus the retention
--                  purge's change of supersedes, which is the owner's); no DELETE, no TRUNCATE anywhere.
--   change_marker  moved by the trigger every catalog write fires, which runs as the writer.
--   plant_agents   the cursor key and Idempotency-Keys: read and insert.
--   plant_host     the host's timer bookkeeping (Plant.Hosting's HostStore). The host creates these tables itself
--                  when it may; plant_app may not create anything, so they are created here, exactly as the host
--                  creates them, where they do not exist yet.
--   genesis        V0003's grants, less the two that only the retention purge (the owner) uses: inserting
--                  checkpoints and calling audit_cut. With both, the application could cut the chain behind a
--                  checkpoint it forged.
--
-- No sequence is granted: the only identity column the apps insert into (timer_runs.id) needs none, and nothing
-- calls nextval. No ALTER DEFAULT PRIVILEGES: a table a later migration adds gets its grants there, explicitly.
--
-- expects: schema plant_host, table plant_host.timer_status, table plant_host.timer_runs
-- expects: index plant_host.timer_runs_by_function, table plant_host.scheduler_deliveries

-- 1. The catalog ---------------------------------------------------------------------------------------------------

grant usage on schema catalog to plant_app;

grant select, insert on catalog.entity to plant_app;
-- Writers of an entity queue on its row (EntityStore: for no key update), trial starts share-lock their agent's
-- (TrialService: for share), and a row lock needs UPDATE on some column. entity_id is the one: no row can change
-- it, since every entity has versions whose foreign keys refuse the change.
grant update (entity_id) on catalog.entity to plant_app;

grant select, insert on catalog.entity_version to plant_app;
grant update (status, activated_at, suspended_at, retired_at, is_current,
              certification_status, certified_at, certificate_ref, violations, updated_at, updated_by)
    on catalog.entity_version to plant_app;

grant select, insert on catalog.industry, catalog.skill, catalog.job_role, catalog.job_role_skill, catalog.team,
    catalog.team_member, catalog.agent, catalog.agent_skill, catalog.trial, catalog.certificate to plant_app;

grant select on catalog.change_marker to plant_app;
grant update (version, changed_at, changed_by) on catalog.change_marker to plant_app;

-- Derived and safe to empty, yet never emptied by the apps: they insert and refresh rows.
grant select, insert on catalog.agent_profile_embedding to plant_app;
grant update (profile_key, catalog_version, embedding, updated_at) on catalog.agent_profile_embedding to plant_app;

-- 2. The Agents app's state ----------------------------------------------------------------------------------------

grant usage on schema plant_agents to plant_app;
grant select, insert on plant_agents.cursor_key, plant_agents.idempotency_key to plant_app;

-- 3. The host's bookkeeping: the same definitions as Plant.Hosting's HostStore ---------------------------------------

create schema if not exists plant_host;
create table if not exists plant_host.timer_status (
    function_name   text primary key,
    last_occurrence timestamptz,
    next_occurrence timestamptz not null,
    last_updated    timestamptz not null);
create table if not exists plant_host.timer_runs (
    id             bigint generated always as identity primary key,
    function_name  text not null,
    invocation_id  uuid not null,
    trigger        text not null check (trigger in ('schedule', 'catch-up', 'startup', 'admin')),
    scheduled_for  timestamptz,
    started_at     timestamptz not null,
    finished_at    timestamptz not null,
    succeeded      boolean not null,
    error          text);
create index if not exists timer_runs_by_function on plant_host.timer_runs (function_name, started_at desc);
create table if not exists plant_host.scheduler_deliveries (
    job_name      text not null,
    schedule_time text not null,
    function_name text not null,
    invocation_id uuid not null,
    received_at   timestamptz not null default now(),
    finished_at   timestamptz,
    succeeded     boolean,
    primary key (job_name, schedule_time));

grant usage on schema plant_host to plant_app;
grant select, insert on plant_host.timer_status to plant_app;
grant update (last_occurrence, next_occurrence, last_updated) on plant_host.timer_status to plant_app;
grant insert on plant_host.timer_runs to plant_app;
grant select, insert on plant_host.scheduler_deliveries to plant_app;
grant update (invocation_id, received_at, finished_at, succeeded) on plant_host.scheduler_deliveries to plant_app;

-- 4. The audit trail: checkpoints and cuts are the retention purge's ---------------------------------------------

revoke insert on genesis.audit_checkpoint from plant_app;
revoke execute on function genesis.audit_cut(bigint) from plant_app;

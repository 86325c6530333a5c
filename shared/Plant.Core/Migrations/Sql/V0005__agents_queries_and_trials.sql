-- V0005: what the Agents function needs beside the catalog (issue 5).
--
-- catalog.change_marker           a counter that moves, in the same commit, with every change of what agent and
--                                 catalog queries return. Caches (the search index, ETags) compare it per query.
-- catalog.agent_profile_embedding one embedding per agent of its profile text (name, description, skills, job
--                                 role, industry), so that a restart does not embed the whole catalog again.
-- catalog.trial.cancelled_at      when a trial was cancelled (the cancelling version carries it).
-- plant_agents.cursor_key         the HMAC key of page cursors, shared by every instance of the Agents app.
-- plant_agents.idempotency_key    Idempotency-Key of trial starts: a retry answers the trial the first request made.

-- 1. The change marker -------------------------------------------------------------------------------------------

create table catalog.change_marker (
    singleton  boolean     primary key default true check (singleton),
    version    bigint      not null check (version >= 1),
    changed_at timestamptz not null,
    -- The transaction that moved it last: the marker moves once per transaction, however many rows it wrote.
    changed_by xid8
);

insert into catalog.change_marker (version, changed_at) values (1, now());

comment on table catalog.change_marker is
    'Moves (version + 1) in the commit of every transaction that changes the catalog, trials aside; readers compare it to know whether what they cached is still current.';

create function catalog.change_marker_bump() returns trigger
language plpgsql as $$
begin
    update catalog.change_marker
       set version = version + 1, changed_at = now(), changed_by = pg_current_xact_id()
     where changed_by is distinct from pg_current_xact_id();
    return null;
end;
$$;

-- Deferred constraint triggers: the marker row is locked only at commit, after every row lock the transaction
-- takes. Locking it at the first write instead would make two writers that touch the same rows in different
-- orders deadlock on it. Trials are entity versions too, but they do not change what agent queries return.
create constraint trigger entity_version_change_marker_insert
    after insert on catalog.entity_version deferrable initially deferred
    for each row when (new.entity_type <> 'trial') execute function catalog.change_marker_bump();
create constraint trigger entity_version_change_marker_update
    after update on catalog.entity_version deferrable initially deferred
    for each row when (new.entity_type <> 'trial') execute function catalog.change_marker_bump();
create constraint trigger entity_version_change_marker_delete
    after delete on catalog.entity_version deferrable initially deferred
    for each row when (old.entity_type <> 'trial') execute function catalog.change_marker_bump();

do $triggers$
declare
    t text;
begin
    foreach t in array array['industry', 'skill', 'job_role', 'job_role_skill', 'team', 'team_member', 'agent', 'agent_skill', 'relationship'] loop
        execute format(
            'create constraint trigger %1$s_change_marker after insert or update or delete on catalog.%1$I
                 deferrable initially deferred for each row execute function catalog.change_marker_bump()', t);
        -- TRUNCATE cannot have a constraint trigger; it takes an exclusive lock anyway.
        execute format(
            'create trigger %1$s_change_marker_truncate after truncate on catalog.%1$I
                 for each statement execute function catalog.change_marker_bump()', t);
    end loop;
end;
$triggers$;

create trigger entity_version_change_marker_truncate
    after truncate on catalog.entity_version
    for each statement execute function catalog.change_marker_bump();

-- 2. Agent profile embeddings ------------------------------------------------------------------------------------

create table catalog.agent_profile_embedding (
    agent_id        uuid        primary key,
    agent_type      text        not null default 'agent' check (agent_type = 'agent'),
    -- SHA-256 of the embedder's identity and the profile text: a row whose key differs from the one computed
    -- from the current catalog is stale and is recomputed.
    profile_key     bytea       not null check (length(profile_key) = 32),
    -- The change marker the profile text was read at; a writer holding an older catalog never overwrites a newer row.
    catalog_version bigint      not null,
    embedding       real[]      not null check (array_ndims(embedding) = 1 and array_length(embedding, 1) = 384),
    updated_at      timestamptz not null default now(),
    foreign key (agent_id, agent_type) references catalog.entity (entity_id, entity_type) on delete cascade
);

comment on table catalog.agent_profile_embedding is
    'Derived data: the embedding of each agent''s profile text, kept by the Agents app; safe to empty (it is recomputed).';

-- Where pgvector exists, a vector(384) copy with an HNSW index for `<=>`, kept in step by a trigger (as V0002
-- does for skills). Where it does not (these machines), search ranks exactly over the real[] column in process.
do $vector$
begin
    if not exists (select 1 from pg_available_extensions where name = 'vector') then
        raise notice 'V0005: the vector extension is not available; agent_profile_embedding.embedding_vector is not created';
        return;
    end if;

    create extension if not exists vector;
    alter table catalog.agent_profile_embedding add column embedding_vector vector(384);
    create index agent_profile_embedding_hnsw on catalog.agent_profile_embedding using hnsw (embedding_vector vector_cosine_ops);

    create function catalog.agent_profile_embedding_vector_sync() returns trigger
    language plpgsql as $fn$
    begin
        new.embedding_vector := new.embedding::vector(384);
        return new;
    end;
    $fn$;

    create trigger agent_profile_embedding_vector_sync
        before insert or update of embedding on catalog.agent_profile_embedding
        for each row execute function catalog.agent_profile_embedding_vector_sync();
end;
$vector$;

-- 3. Indexes for the agent list's other orders (by name, V0001's entity_version_current_name serves): walking
-- agents in price or creation order lets a page stop at its limit instead of sorting every match.
create index agent_price on catalog.agent (price_per_hour, version_id);
create index entity_agent_created on catalog.entity (created_at, entity_id) where entity_type = 'agent';

-- 4. Trials ------------------------------------------------------------------------------------------------------

-- Existing rows (none are written before this version) are not checked: NOT VALID.
alter table catalog.trial add column cancelled_at timestamptz;
alter table catalog.trial add constraint trial_cancelled_at
    check ((trial_status = 'cancelled') = (cancelled_at is not null)) not valid;

-- The "active trial of this customer for this agent" check.
create index trial_agent_customer on catalog.trial (agent_id, customer_ref);

-- 5. The Agents app's own state ----------------------------------------------------------------------------------

create schema plant_agents;

create table plant_agents.cursor_key (
    singleton  boolean     primary key default true check (singleton),
    key        bytea       not null check (length(key) = 32),
    created_at timestamptz not null default now()
);

comment on table plant_agents.cursor_key is
    'HMAC-SHA256 key of page cursors, generated by the first Agents instance and cached by each; replacing it invalidates cursors (restart the Agents instances after).';

create table plant_agents.idempotency_key (
    idempotency_key text        primary key check (length(idempotency_key) between 1 and 255),
    -- SHA-256 of the request that used the key (agent and customer id): the same key with another request is refused.
    request_hash    bytea       not null check (length(request_hash) = 32),
    trial_id        uuid        not null,
    trial_type      text        not null default 'trial' check (trial_type = 'trial'),
    created_at      timestamptz not null default now(),
    -- The key goes with its trial when the retention purge removes the trial.
    foreign key (trial_id, trial_type) references catalog.entity (entity_id, entity_type) on delete cascade
);

create index idempotency_key_trial on plant_agents.idempotency_key (trial_id);

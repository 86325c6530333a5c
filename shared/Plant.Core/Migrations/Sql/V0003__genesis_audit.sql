-- V0003: the Genesis audit trail (issue 4), docs/AUDIT.md.
--
-- genesis.audit_entry       append-only, hash-chained: hash = sha256(prev_hash || canonical), where canonical is
--                           the entry's RFC 8785 JSON, exactly as hashed. Every other column is generated from
--                           canonical, so no column can say something the hash does not cover.
-- genesis.audit_head        one row: the last entry's sequence and hash. Appends lock it, so they line up one
--                           behind the other and the chain cannot fork.
-- genesis.audit_checkpoint  signed (sequence, hash) pairs; the retention purge may cut the chain up to one.
-- genesis.audit_cut(bigint) the only way entries leave the table.
--
-- Role plant_app (NOLOGIN, cluster-wide, created once): what the application's login user is granted. It may
-- read and append, never change or delete; the table owner (the migration user) is the only one who can cut.

do $roles$
begin
    if not exists (select 1 from pg_roles where rolname = 'plant_app') then
        -- Roles belong to the cluster: two databases migrating at once may both get here.
        begin
            create role plant_app nologin;
        exception when duplicate_object or unique_violation then
            null;
        end;
    end if;
end;
$roles$;

create schema if not exists genesis;

-- convert_from and the text-to-timestamptz cast are only stable in general: the first depends on the database
-- encoding (fixed for a database), the second on TimeZone and DateStyle, which an ISO 8601 time with 'Z' does not.
create function genesis.audit_json(canonical bytea) returns jsonb
    language sql immutable strict parallel safe
    return convert_from(canonical, 'UTF8')::jsonb;

create function genesis.audit_time(value text) returns timestamptz
    language plpgsql immutable strict parallel safe
    as $fn$ begin return value::timestamptz; end; $fn$;

create table genesis.audit_entry (
    sequence    bigint      generated always as ((genesis.audit_json(canonical) ->> 'sequence')::bigint) stored primary key,
    occurred_at timestamptz generated always as (genesis.audit_time(genesis.audit_json(canonical) ->> 'occurredAt')) stored not null,
    actor       text        generated always as (genesis.audit_json(canonical) ->> 'actor') stored not null,
    action      text        generated always as (genesis.audit_json(canonical) ->> 'action') stored not null,
    entity_id   uuid        generated always as ((genesis.audit_json(canonical) ->> 'entityId')::uuid) stored,
    details     jsonb       generated always as (genesis.audit_json(canonical) -> 'details') stored not null,
    canonical   bytea       not null,
    prev_hash   bytea       not null unique check (length(prev_hash) = 32),
    hash        bytea       not null check (length(hash) = 32),
    check (sequence >= 1)
);

create index audit_entry_entity on genesis.audit_entry (entity_id) where entity_id is not null;
create index audit_entry_occurred_at on genesis.audit_entry using brin (occurred_at);

create table genesis.audit_head (
    singleton boolean primary key default true check (singleton),
    sequence  bigint  not null check (sequence >= 0),
    hash      bytea   not null check (length(hash) = 32)
);

-- The chain starts from 32 zero bytes.
insert into genesis.audit_head (sequence, hash) values (0, '\x0000000000000000000000000000000000000000000000000000000000000000');

create table genesis.audit_checkpoint (
    sequence   bigint      primary key check (sequence >= 1),
    hash       bytea       not null check (length(hash) = 32),
    key_id     text        not null,
    signature  text        not null,
    created_at timestamptz not null
);

-- Statement-level, so an UPDATE or DELETE that matches no row is refused too, and TRUNCATE (which fires no row
-- trigger) is caught. genesis.audit_cut sets the flag for its own DELETE; plant_app has no DELETE privilege, so
-- setting the flag by hand gives it nothing.
create function genesis.audit_reject_change() returns trigger
    language plpgsql
    as $fn$
begin
    if tg_op = 'DELETE' and tg_table_name = 'audit_entry' and current_setting('genesis.audit_cut', true) = 'on' then
        return null;
    end if;
    raise exception 'genesis.% is append-only: % is not allowed', tg_table_name, tg_op
        using errcode = 'insufficient_privilege',
              hint = 'Only genesis.audit_cut(sequence) may remove entries, up to a signed checkpoint.';
end;
$fn$;

create trigger audit_entry_append_only
    before update or delete or truncate on genesis.audit_entry
    for each statement execute function genesis.audit_reject_change();

create trigger audit_checkpoint_append_only
    before update or delete or truncate on genesis.audit_checkpoint
    for each statement execute function genesis.audit_reject_change();

create trigger audit_head_no_delete
    before delete or truncate on genesis.audit_head
    for each statement execute function genesis.audit_reject_change();

-- The one path that removes entries: up to and including a stored checkpoint whose hash is the hash of the entry
-- at its sequence. Its signature is checked by the caller (AuditTrail.CutAsync) and again by every verification.
create function genesis.audit_cut(through bigint) returns bigint
    language plpgsql
    security definer
    set search_path = pg_catalog, pg_temp
    as $fn$
declare
    checkpoint_hash bytea;
    entry_hash bytea;
    removed bigint;
begin
    select c.hash into checkpoint_hash from genesis.audit_checkpoint c where c.sequence = through;
    if not found then
        raise exception 'no checkpoint at sequence %', through using errcode = 'no_data_found';
    end if;

    select e.hash into entry_hash from genesis.audit_entry e where e.sequence = through;
    if found and entry_hash <> checkpoint_hash then
        raise exception 'the checkpoint at sequence % does not match the entry there', through using errcode = 'data_exception';
    end if;

    perform set_config('genesis.audit_cut', 'on', true);
    delete from genesis.audit_entry where sequence <= through;
    get diagnostics removed = row_count;
    perform set_config('genesis.audit_cut', 'off', true);
    return removed;
end;
$fn$;

revoke all on function genesis.audit_cut(bigint) from public;

grant usage on schema genesis to plant_app;
grant select, insert on genesis.audit_entry to plant_app;
grant select, update on genesis.audit_head to plant_app;
grant select, insert on genesis.audit_checkpoint to plant_app;
grant execute on function genesis.audit_cut(bigint) to plant_app;

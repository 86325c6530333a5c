-- Undoes V0009: the six columns are generated from the canonical bytes again. PostgreSQL cannot give an existing
-- column an expression, so each is dropped and added back as V0003 defined it (the table is rewritten and every
-- value recomputed from the bytes), with the primary key, the check and the two indexes that dropping the
-- columns removed. Then the trigger that derived them goes.
alter table genesis.audit_entry
    drop column sequence,
    drop column occurred_at,
    drop column actor,
    drop column action,
    drop column entity_id,
    drop column details;

alter table genesis.audit_entry
    add column sequence    bigint      generated always as ((genesis.audit_json(canonical) ->> 'sequence')::bigint) stored,
    add column occurred_at timestamptz generated always as (genesis.audit_time(genesis.audit_json(canonical) ->> 'occurredAt')) stored not null,
    add column actor       text        generated always as (genesis.audit_json(canonical) ->> 'actor') stored not null,
    add column action      text        generated always as (genesis.audit_json(canonical) ->> 'action') stored not null,
    add column entity_id   uuid        generated always as ((genesis.audit_json(canonical) ->> 'entityId')::uuid) stored,
    add column details     jsonb       generated always as (genesis.audit_json(canonical) -> 'details') stored not null,
    add primary key (sequence),
    add check (sequence >= 1);

create index audit_entry_entity on genesis.audit_entry (entity_id) where entity_id is not null;
create index audit_entry_occurred_at on genesis.audit_entry using brin (occurred_at);

drop trigger audit_entry_derive_columns on genesis.audit_entry;
drop function genesis.audit_entry_derive();

alter table genesis.audit_head reset (fillfactor);

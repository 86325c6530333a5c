-- V0009: audit_entry's query columns (sequence, occurred_at, actor, action, entity_id, details) are derived from
-- the canonical bytes by one BEFORE INSERT trigger instead of six generated columns.
--
-- Why: every generated column parsed the entry's JSON again (six parses per insert, and a PL/pgSQL call for the
-- time), all while the chain's head row is locked; that lock is what bounds the chain's throughput. The trigger
-- parses once. pgbench, 16 writers, AuditTrail's append statement: 1,700-1,800 appends/s before, 2,800-3,300
-- after (docs/BENCHMARKS.md, "Audit appends").
--
-- The columns still cannot say something the hash does not cover: the trigger overwrites whatever an INSERT
-- gives them with what the canonical bytes say, and the append-only trigger refuses any later UPDATE. The append
-- statement names only canonical, prev_hash and hash, so it is the same before and after this migration (the
-- Migrate pipeline appends while the schema is still older). DROP EXPRESSION keeps every stored value and
-- rewrites nothing.
--
-- expects: function genesis.audit_entry_derive, trigger genesis.audit_entry.audit_entry_derive_columns

create function genesis.audit_entry_derive() returns trigger
    language plpgsql
    as $fn$
declare
    entry constant jsonb := convert_from(new.canonical, 'UTF8')::jsonb;
begin
    new.sequence    := (entry ->> 'sequence')::bigint;
    new.occurred_at := (entry ->> 'occurredAt')::timestamptz;
    new.actor       := entry ->> 'actor';
    new.action      := entry ->> 'action';
    new.entity_id   := (entry ->> 'entityId')::uuid;
    new.details     := entry -> 'details';
    return new;
end;
$fn$;

create trigger audit_entry_derive_columns
    before insert on genesis.audit_entry
    for each row execute function genesis.audit_entry_derive();

alter table genesis.audit_entry
    alter column sequence drop expression,
    alter column occurred_at drop expression,
    alter column actor drop expression,
    alter column action drop expression,
    alter column entity_id drop expression,
    alter column details drop expression;

-- Every append updates the head's one row. With the default fillfactor PostgreSQL prunes its dead versions only
-- when the page is nearly full, so under sixteen writers the versions spilled onto dozens of pages, every lookup
-- of the head scanned them all, and appends slowed to a few hundred a second until autovacuum came by. At 10% the
-- page is pruned on nearly every visit and the row stays on it.
alter table genesis.audit_head set (fillfactor = 10);

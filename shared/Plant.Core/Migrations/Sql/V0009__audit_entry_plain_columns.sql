-- V0009: audit_entry's query columns (sequence, occurred_at, actor, action, entity_id, details) stop being generated
-- from the canonical bytes and are written by AuditTrail's append, from the same record it writes those bytes from.
--
-- Why: every generated column parsed the entry's JSON again (six parses and a PL/pgSQL call per insert), which
-- doubled the time an append holds the chain's head lock and so halved the chain's throughput (docs/BENCHMARKS.md,
-- "Audit appends"). The chain's integrity never rested on these columns: each entry's hash covers its canonical
-- bytes, which are the record; the columns are for queries (docs/AUDIT.md, "Columns"). DROP EXPRESSION keeps every
-- stored value and rewrites nothing.
--
-- expects: column genesis.audit_entry.sequence, column genesis.audit_entry.occurred_at, column genesis.audit_entry.actor
-- expects: column genesis.audit_entry.action, column genesis.audit_entry.entity_id, column genesis.audit_entry.details

alter table genesis.audit_entry
    alter column sequence drop expression,
    alter column occurred_at drop expression,
    alter column actor drop expression,
    alter column action drop expression,
    alter column entity_id drop expression,
    alter column details drop expression;

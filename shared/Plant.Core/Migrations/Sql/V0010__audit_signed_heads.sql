-- V0010: the heads Plant has signed, kept so that a head a caller kept can still be checked after the retention
-- purge cuts the entries it names (docs/AUDIT.md, "Kept heads").
--
-- Every verification that finds the chain intact signs its head and records it here (the first signing of each
-- sequence). Every walk then checks the chain against these rows: a head Plant signed that the chain no longer
-- has (rewritten) or no longer reaches (entries removed, head rewound) breaks it. Before the purge cuts entries,
-- it stores a signed checkpoint at each recorded head it is about to cut, so that the hash there outlives them.
-- The rows are not signed: their signature is the caller's copy, and a checkpoint, which is signed, takes over
-- once the entry is cut.
--
-- expects: table genesis.audit_signed_head, trigger genesis.audit_signed_head.audit_signed_head_append_only

create table genesis.audit_signed_head (
    sequence  bigint      primary key check (sequence >= 1),
    hash      bytea       not null check (length(hash) = 32),
    signed_at timestamptz not null
);

create trigger audit_signed_head_append_only
    before update or delete or truncate on genesis.audit_signed_head
    for each statement execute function genesis.audit_reject_change();

-- The Genesis app verifies, so it records heads; the purge (the owner) reads them.
grant select, insert on genesis.audit_signed_head to plant_app;

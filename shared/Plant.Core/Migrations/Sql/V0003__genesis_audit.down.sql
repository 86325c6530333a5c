-- Undoes V0003. Role plant_app stays: roles belong to the whole cluster and other databases may use it.
-- Schema genesis is dropped only when nothing else is left in it.
drop function genesis.audit_cut(bigint);
drop table genesis.audit_checkpoint;
drop table genesis.audit_head;
drop table genesis.audit_entry;
drop function genesis.audit_reject_change();
drop function genesis.audit_time(text);
drop function genesis.audit_json(bytea);
drop schema genesis;

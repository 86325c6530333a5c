-- Undoes V0010: the record of signed heads goes; heads kept outside still verify against the entries that remain.
drop table genesis.audit_signed_head;

-- V0004: Genesis certificates and hash-linked versions (issue 4).
--
-- catalog.certificate       one signed certificate per certified version: the exact canonical JSON bytes that were
--                           signed (payload) and the RSA-PSS signature. Append-only: UPDATE, DELETE and TRUNCATE are
--                           rejected by triggers. One certificate per version (unique version_id), so concurrent
--                           certifications of one version cannot issue two.
-- entity_version.previous_hash
--                           the content hash of the version an amendment supersedes; it is part of the hashed content
--                           (docs/GENESIS.md), so each version is linked by hash to the one before it. Immutable, like
--                           the rest of a version's content: the append-only trigger of V0001 is redefined to cover it.

alter table catalog.entity_version
    add column previous_hash text check (previous_hash ~ '^[0-9a-f]{64}$'),
    -- A first version supersedes nothing and so links to no hash.
    add constraint entity_version_previous_hash_first check (version > 1 or previous_hash is null);

create or replace function catalog.entity_version_append_only() returns trigger
language plpgsql as $$
begin
    if (new.version_id, new.entity_id, new.entity_type, new.name, new.description, new.version, new.supersedes,
        new.content_hash, new.previous_hash, new.created_at, new.created_by, new.tags, new.attributes)
       is distinct from
       (old.version_id, old.entity_id, old.entity_type, old.name, old.description, old.version, old.supersedes,
        old.content_hash, old.previous_hash, old.created_at, old.created_by, old.tags, old.attributes) then
        raise exception 'catalog.entity_version is append-only: amend entity % by inserting a new version', old.entity_id
            using errcode = 'restrict_violation';
    end if;
    return new;
end;
$$;

create table catalog.certificate (
    certificate_id uuid        primary key,
    entity_id      uuid        not null references catalog.entity (entity_id),
    version_id     uuid        not null unique references catalog.entity_version (version_id),
    version        integer     not null check (version >= 1),
    content_hash   text        not null check (content_hash ~ '^[0-9a-f]{64}$'),
    issued_at      timestamptz not null,
    key_id         text        not null check (length(key_id) between 1 and 200),
    algorithm      text        not null check (algorithm = 'RSA-PSS-SHA256'),
    -- The canonical JSON (RFC 8785) that was signed, byte for byte: verification checks these bytes, never a
    -- re-serialisation of them.
    payload        bytea       not null,
    signature      bytea       not null,
    unique (entity_id, version)
);

comment on table catalog.certificate is 'Append-only: the signed Genesis certificate of each certified entity version.';

create function catalog.certificate_append_only() returns trigger
language plpgsql as $$
begin
    raise exception 'catalog.certificate is append-only: % is not allowed', tg_op
        using errcode = 'restrict_violation';
end;
$$;

create trigger certificate_no_update_delete
    before update or delete on catalog.certificate
    for each row execute function catalog.certificate_append_only();

create trigger certificate_no_truncate
    before truncate on catalog.certificate
    for each statement execute function catalog.certificate_append_only();

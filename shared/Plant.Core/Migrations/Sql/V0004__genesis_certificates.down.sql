-- Undoes V0004: certificates go, and the append-only trigger of V0001 is restored as it was.
drop table catalog.certificate;
drop function catalog.certificate_append_only();

create or replace function catalog.entity_version_append_only() returns trigger
language plpgsql as $$
begin
    if (new.version_id, new.entity_id, new.entity_type, new.name, new.description, new.version, new.supersedes,
        new.content_hash, new.created_at, new.created_by, new.tags, new.attributes)
       is distinct from
       (old.version_id, old.entity_id, old.entity_type, old.name, old.description, old.version, old.supersedes,
        old.content_hash, old.created_at, old.created_by, old.tags, old.attributes) then
        raise exception 'catalog.entity_version is append-only: amend entity % by inserting a new version', old.entity_id
            using errcode = 'restrict_violation';
    end if;
    return new;
end;
$$;

alter table catalog.entity_version
    drop constraint entity_version_previous_hash_first,
    drop column previous_hash;

-- Undoes V0007. V0001's check cannot hold again once the purge has removed a superseded version: the down
-- script refuses then, rather than invent links to rows that are gone.
do $guard$
begin
    if exists (select 1 from catalog.entity_version where predecessor_purged) then
        raise exception 'V0007 cannot be undone: the retention purge removed superseded versions (entity_version.predecessor_purged)'
            using errcode = 'object_in_use';
    end if;
end;
$guard$;

drop index catalog.entity_version_superseded_at;
drop index catalog.trial_cancelled_at;
drop index catalog.trial_ends_at;

-- V0004's definition.
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

alter table catalog.entity_version drop constraint entity_version_supersedes_first;
alter table catalog.entity_version add constraint entity_version_check check ((version = 1) = (supersedes is null));
alter table catalog.entity_version drop column predecessor_purged;

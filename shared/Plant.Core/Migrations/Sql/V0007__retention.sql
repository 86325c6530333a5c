-- V0007: what the retention purge needs (issue 6, docs/RETENTION.md).
--
-- entity_version.predecessor_purged  true on a version whose superseded predecessor the purge removed. Its
--                                    supersedes is then null; previous_hash (V0004) still holds the predecessor's
--                                    content hash, so the version stays linked by hash to what it replaced, as the
--                                    audit chain stays linked to the signed checkpoint it was cut at.
-- entity_version_supersedes_first    replaces V0001's check "version 1 supersedes nothing, every later version
--                                    supersedes one": a later version may supersede none only once its
--                                    predecessor was purged, and says so.
-- entity_version_append_only()       redefined over V0004's: the one change it now lets through is that one,
--                                    supersedes to null with predecessor_purged set, and nothing else.
-- indexes                            find expired trials, and versions superseded before a cutoff, without a scan.
--
-- expects: column catalog.entity_version.predecessor_purged, function catalog.entity_version_append_only
-- expects: index catalog.trial_ends_at, index catalog.trial_cancelled_at, index catalog.entity_version_superseded_at

alter table catalog.entity_version add column predecessor_purged boolean not null default false;

alter table catalog.entity_version drop constraint entity_version_check;
alter table catalog.entity_version add constraint entity_version_supersedes_first check (
    case when version = 1 then supersedes is null and not predecessor_purged
         else (supersedes is null) = predecessor_purged
    end);

create or replace function catalog.entity_version_append_only() returns trigger
language plpgsql as $$
begin
    if (new.version_id, new.entity_id, new.entity_type, new.name, new.description, new.version,
        new.content_hash, new.previous_hash, new.created_at, new.created_by, new.tags, new.attributes)
       is distinct from
       (old.version_id, old.entity_id, old.entity_type, old.name, old.description, old.version,
        old.content_hash, old.previous_hash, old.created_at, old.created_by, old.tags, old.attributes)
       or ((new.supersedes, new.predecessor_purged) is distinct from (old.supersedes, old.predecessor_purged)
           -- The retention purge removed the version this one superseded (docs/RETENTION.md).
           and not (old.supersedes is not null and not old.predecessor_purged and new.supersedes is null and new.predecessor_purged)) then
        raise exception 'catalog.entity_version is append-only: amend entity % by inserting a new version', old.entity_id
            using errcode = 'restrict_violation';
    end if;
    return new;
end;
$$;

-- Keyset order for the purge's batches: the end (or cancellation) time, then the row.
create index trial_ends_at on catalog.trial (ends_at, version_id);
create index trial_cancelled_at on catalog.trial (cancelled_at, version_id) where cancelled_at is not null;
-- A version is superseded when its successor is created: the successor's created_at is the time that counts.
create index entity_version_superseded_at on catalog.entity_version (created_at, version_id) where supersedes is not null;

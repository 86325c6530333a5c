-- V0001: the catalog (issue 3, section 1).
--
-- catalog.entity          one row per entity: its stable id and type, the target of every reference.
-- catalog.entity_version  one row per version, append-only: identity, lifecycle, versioning, constitutional
--                         alignment, audit and metadata sections. An amendment inserts a new version whose
--                         `supersedes` is the previous one and moves `is_current` to it in the same transaction.
-- subtype tables          joined on version_id, one per entity type; their entity_type column is fixed by a
--                         CHECK so that the composite foreign key only accepts a base row of the same type.
-- relationships           typed ones as foreign keys and link tables, free ones in catalog.relationship.
-- References between entities point at catalog.entity (entity_id, entity_type), never at a version, so they
-- follow amendments.

create extension if not exists pg_trgm;

create schema catalog;

create table catalog.entity (
    entity_id   uuid        primary key default gen_random_uuid(),
    entity_type text        not null check (entity_type in ('industry', 'skill', 'job_role', 'team', 'agent', 'trial')),
    created_at  timestamptz not null default now(),
    created_by  text        not null,
    unique (entity_id, entity_type)
);

create table catalog.entity_version (
    -- identity
    version_id   uuid        primary key default gen_random_uuid(),
    entity_id    uuid        not null,
    entity_type  text        not null,
    name         text        not null check (length(btrim(name)) between 1 and 200),
    description  text        not null default '',
    -- lifecycle
    status       text        not null default 'draft' check (status in ('draft', 'active', 'suspended', 'retired')),
    activated_at timestamptz,
    suspended_at timestamptz,
    retired_at   timestamptz,
    -- versioning
    version      integer     not null check (version >= 1),
    supersedes   uuid        unique references catalog.entity_version (version_id),
    content_hash text        not null check (content_hash ~ '^[0-9a-f]{64}$'),
    is_current   boolean     not null default true,
    -- constitutional alignment
    certification_status text not null default 'pending' check (certification_status in ('pending', 'certified', 'rejected')),
    certified_at         timestamptz,
    certificate_ref      text,
    violations           jsonb not null default '[]' check (jsonb_typeof(violations) = 'array'),
    -- audit
    created_at   timestamptz not null default now(),
    created_by   text        not null,
    updated_at   timestamptz not null default now(),
    updated_by   text        not null,
    -- metadata
    tags         text[]      not null default '{}',
    attributes   jsonb       not null default '{}' check (jsonb_typeof(attributes) = 'object'),

    foreign key (entity_id, entity_type) references catalog.entity (entity_id, entity_type),
    unique (entity_id, version),
    unique (version_id, entity_type),
    -- The first version supersedes nothing; every later one supersedes exactly one.
    check ((version = 1) = (supersedes is null)),
    check (certification_status = 'pending' or certified_at is not null),
    check (certification_status <> 'certified' or certificate_ref is not null),
    check (status <> 'active' or activated_at is not null),
    check (status <> 'suspended' or suspended_at is not null),
    check (status <> 'retired' or retired_at is not null)
);

comment on table catalog.entity_version is 'Append-only: one row per version of a catalog entity; is_current marks the version in force.';

-- The current version of an entity is one index lookup away.
create unique index entity_version_current on catalog.entity_version (entity_id) where is_current;
-- A name is unique per type among current versions (case-insensitively).
create unique index entity_version_current_name on catalog.entity_version (entity_type, lower(name)) where is_current;
create index entity_version_current_type_status on catalog.entity_version (entity_type, status) where is_current;
create index entity_version_name_trgm on catalog.entity_version using gin (name gin_trgm_ops);
create index entity_version_description_trgm on catalog.entity_version using gin (description gin_trgm_ops);
create index entity_version_tags on catalog.entity_version using gin (tags);

-- Append-only: what a version says never changes; only its lifecycle, certification and current flag move on.
create function catalog.entity_version_append_only() returns trigger
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

create trigger entity_version_append_only
    before update on catalog.entity_version
    for each row execute function catalog.entity_version_append_only();

-- Free-form relationships (the base entity's relationships section).
create table catalog.relationship (
    version_id  uuid not null references catalog.entity_version (version_id),
    target_id   uuid not null references catalog.entity (entity_id),
    kind        text not null check (kind in ('related_to', 'depends_on', 'part_of', 'replaces')),
    primary key (version_id, target_id, kind)
);

create index relationship_target on catalog.relationship (target_id);

create table catalog.industry (
    version_id  uuid primary key,
    entity_type text not null default 'industry' check (entity_type = 'industry'),
    code        text check (code ~ '^[A-Z0-9_-]{1,32}$'),
    foreign key (version_id, entity_type) references catalog.entity_version (version_id, entity_type)
);

create table catalog.skill (
    version_id  uuid primary key,
    entity_type text   not null default 'skill' check (entity_type = 'skill'),
    category    text   not null check (category in ('technical', 'analytical', 'communication', 'domain', 'creative', 'operational')),
    -- 384 dimensions; a vector(384) copy is added by V0002 where the vector extension exists.
    embedding   real[] check (embedding is null or (array_ndims(embedding) = 1 and array_length(embedding, 1) = 384)),
    foreign key (version_id, entity_type) references catalog.entity_version (version_id, entity_type)
);

create index skill_category on catalog.skill (category);

create table catalog.job_role (
    version_id    uuid primary key,
    entity_type   text not null default 'job_role' check (entity_type = 'job_role'),
    seniority     text not null check (seniority in ('junior', 'mid', 'senior', 'lead', 'principal')),
    industry_id   uuid not null,
    industry_type text not null default 'industry' check (industry_type = 'industry'),
    foreign key (version_id, entity_type) references catalog.entity_version (version_id, entity_type),
    foreign key (industry_id, industry_type) references catalog.entity (entity_id, entity_type)
);

create index job_role_industry on catalog.job_role (industry_id);

create table catalog.job_role_skill (
    job_role_version_id uuid not null references catalog.job_role (version_id),
    skill_id            uuid not null,
    skill_type          text not null default 'skill' check (skill_type = 'skill'),
    primary key (job_role_version_id, skill_id),
    foreign key (skill_id, skill_type) references catalog.entity (entity_id, entity_type)
);

create index job_role_skill_skill on catalog.job_role_skill (skill_id);

create table catalog.team (
    version_id    uuid primary key,
    entity_type   text not null default 'team' check (entity_type = 'team'),
    job_role_id   uuid not null,
    job_role_type text not null default 'job_role' check (job_role_type = 'job_role'),
    foreign key (version_id, entity_type) references catalog.entity_version (version_id, entity_type),
    foreign key (job_role_id, job_role_type) references catalog.entity (entity_id, entity_type)
);

create index team_job_role on catalog.team (job_role_id);

create table catalog.agent (
    version_id     uuid primary key,
    entity_type    text not null default 'agent' check (entity_type = 'agent'),
    job_role_id    uuid,
    job_role_type  text not null default 'job_role' check (job_role_type = 'job_role'),
    industry_id    uuid not null,
    industry_type  text not null default 'industry' check (industry_type = 'industry'),
    team_id        uuid,
    team_type      text not null default 'team' check (team_type = 'team'),
    availability   text not null default 'available' check (availability in ('available', 'busy', 'unavailable')),
    price_per_hour numeric(10, 2) not null check (price_per_hour >= 0),
    currency       text not null default 'USD' check (currency ~ '^[A-Z]{3}$'),
    foreign key (version_id, entity_type) references catalog.entity_version (version_id, entity_type),
    foreign key (job_role_id, job_role_type) references catalog.entity (entity_id, entity_type),
    foreign key (industry_id, industry_type) references catalog.entity (entity_id, entity_type),
    foreign key (team_id, team_type) references catalog.entity (entity_id, entity_type)
);

create index agent_industry on catalog.agent (industry_id);
create index agent_job_role on catalog.agent (job_role_id);
create index agent_team on catalog.agent (team_id);
create index agent_availability_price on catalog.agent (availability, price_per_hour);

create table catalog.agent_skill (
    agent_version_id uuid not null references catalog.agent (version_id),
    skill_id         uuid not null,
    skill_type       text not null default 'skill' check (skill_type = 'skill'),
    primary key (agent_version_id, skill_id),
    foreign key (skill_id, skill_type) references catalog.entity (entity_id, entity_type)
);

create index agent_skill_skill on catalog.agent_skill (skill_id);

create table catalog.team_member (
    team_version_id uuid not null references catalog.team (version_id),
    agent_id        uuid not null,
    agent_type      text not null default 'agent' check (agent_type = 'agent'),
    primary key (team_version_id, agent_id),
    foreign key (agent_id, agent_type) references catalog.entity (entity_id, entity_type)
);

create index team_member_agent on catalog.team_member (agent_id);

create table catalog.trial (
    version_id   uuid primary key,
    entity_type  text        not null default 'trial' check (entity_type = 'trial'),
    agent_id     uuid        not null,
    agent_type   text        not null default 'agent' check (agent_type = 'agent'),
    customer_ref text        not null check (length(btrim(customer_ref)) between 1 and 200),
    starts_at    timestamptz not null,
    ends_at      timestamptz not null,
    trial_status text        not null default 'requested' check (trial_status in ('requested', 'active', 'completed', 'cancelled', 'converted')),
    check (ends_at > starts_at),
    foreign key (version_id, entity_type) references catalog.entity_version (version_id, entity_type),
    foreign key (agent_id, agent_type) references catalog.entity (entity_id, entity_type)
);

create index trial_agent on catalog.trial (agent_id, starts_at);
create index trial_customer on catalog.trial (customer_ref, starts_at);

-- V0011: profile embeddings are kept per embedder. Each row records the embedder that made it (its identity:
-- `minilm:all-MiniLM-L6-v2@…`, `hashing:…`, `http:model`), and an agent has one row per embedder. So instances
-- running two embedders at once (a rolling deployment that changes PLANT_EMBEDDER) fill their own rows instead of
-- overwriting each other's, and a search, in process or through pgvector, reads the vectors of its own embedder
-- only: never a mix of two.
--
-- Rows written before this migration do not say their embedder: they get the empty one, which no embedder has, and
-- are recomputed where they are needed. Profile embeddings are derived data (safe to empty).
--
-- expects: column catalog.agent_profile_embedding.embedder, index catalog.agent_profile_embedding_pkey

alter table catalog.agent_profile_embedding add column embedder text not null default ''
    check (length(embedder) <= 200);
alter table catalog.agent_profile_embedding alter column embedder drop default;
alter table catalog.agent_profile_embedding drop constraint agent_profile_embedding_pkey;
alter table catalog.agent_profile_embedding add constraint agent_profile_embedding_pkey primary key (agent_id, embedder);

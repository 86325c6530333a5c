-- V0011 down: one row per agent again. Which embedder's row to keep cannot be told, so none is: the table is
-- emptied (derived data; the Agents app computes every vector again on its next search).
truncate catalog.agent_profile_embedding;
alter table catalog.agent_profile_embedding drop constraint agent_profile_embedding_pkey;
alter table catalog.agent_profile_embedding drop column embedder;
alter table catalog.agent_profile_embedding add constraint agent_profile_embedding_pkey primary key (agent_id);

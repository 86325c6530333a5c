-- Undoes V0002 where it did anything; the vector extension stays installed.
drop trigger if exists skill_embedding_vector_sync on catalog.skill;
drop function if exists catalog.skill_embedding_vector_sync();
drop index if exists catalog.skill_embedding_hnsw;
alter table catalog.skill drop column if exists embedding_vector;

-- V0002: a vector(384) copy of skill embeddings with an HNSW index, where the vector extension (pgvector) is
-- available. Where it is not (these machines), this migration does nothing and still records its checksum;
-- search then ranks exactly over the real[] column. The copy is kept in step by a trigger.
do $migration$
begin
    if not exists (select 1 from pg_available_extensions where name = 'vector') then
        raise notice 'V0002: the vector extension is not available; skill.embedding_vector is not created';
        return;
    end if;

    create extension if not exists vector;
    alter table catalog.skill add column embedding_vector vector(384);
    update catalog.skill set embedding_vector = embedding::vector(384) where embedding is not null;
    create index skill_embedding_hnsw on catalog.skill using hnsw (embedding_vector vector_cosine_ops);

    create function catalog.skill_embedding_vector_sync() returns trigger
    language plpgsql as $fn$
    begin
        new.embedding_vector := new.embedding::vector(384);
        return new;
    end;
    $fn$;

    create trigger skill_embedding_vector_sync
        before insert or update of embedding on catalog.skill
        for each row execute function catalog.skill_embedding_vector_sync();
end;
$migration$;

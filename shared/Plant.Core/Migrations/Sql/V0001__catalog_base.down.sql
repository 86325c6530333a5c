-- Undoes V0001. pg_trgm stays installed: other schemas of the database may use it.
drop schema catalog cascade;

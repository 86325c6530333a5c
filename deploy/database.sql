-- Run once per environment, as `postgres`, on a new Cloud SQL instance (README, "Deploy", step 5, runs it as a
-- one-off Cloud Run job inside the network; docs/AUDIT.md, "Database users", says why each line is here).
-- The two passwords come from the environment, so that they are never part of a command line or this file.
\set ON_ERROR_STOP on
\getenv migrator_password MIGRATOR_PASSWORD
\getenv service_password SERVICE_PASSWORD

-- Roles belong to the whole instance. plant_app holds the apps' rights (granted by the migrations);
-- plant_service, the login of Genesis and Agents, is a member of it and of nothing else.
create role plant_app nologin;
create role plant_migrator login password :'migrator_password';
create role plant_service login password :'service_password';
grant plant_app to plant_service;

-- The database belongs to the migration user, so that its first `up` creates the schemas. Only a member of a role
-- may create a database it owns: postgres (no superuser on Cloud SQL) joins it first.
grant plant_migrator to postgres;
create database plant owner plant_migrator;

-- pgvector is not a trusted extension: it is created here, where the server has it (Cloud SQL has); the
-- migrations find it. pg_trgm is trusted: the migration user creates it itself.
\connect plant
select 'create extension if not exists vector' where exists (select from pg_available_extensions where name = 'vector') \gexec

-- Undoes V0005. The vector extension stays installed.
drop schema plant_agents cascade;

drop index if exists catalog.trial_agent_customer;
drop index catalog.entity_agent_created;
drop index catalog.agent_price;
alter table catalog.trial drop constraint if exists trial_cancelled_at;
alter table catalog.trial drop column if exists cancelled_at;

drop table catalog.agent_profile_embedding;
drop function if exists catalog.agent_profile_embedding_vector_sync();

do $triggers$
declare
    t text;
begin
    foreach t in array array['industry', 'skill', 'job_role', 'job_role_skill', 'team', 'team_member', 'agent', 'agent_skill', 'relationship'] loop
        execute format('drop trigger %1$s_change_marker on catalog.%1$I', t);
        execute format('drop trigger %1$s_change_marker_truncate on catalog.%1$I', t);
    end loop;
end;
$triggers$;

drop trigger entity_version_change_marker_insert on catalog.entity_version;
drop trigger entity_version_change_marker_update on catalog.entity_version;
drop trigger entity_version_change_marker_delete on catalog.entity_version;
drop trigger entity_version_change_marker_truncate on catalog.entity_version;
drop function catalog.change_marker_bump();
drop table catalog.change_marker;

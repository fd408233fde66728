-- =====================================================================================================
-- 022 Default privileges: revoke all, MAINTAIN included
--
-- 001 revoked Supabase's default grants on new tables privilege by privilege (select, insert,
-- update, delete, truncate, references, trigger). PostgreSQL 17 added a table privilege, MAINTAIN
-- (VACUUM, ANALYZE, REINDEX, REFRESH MATERIALIZED VIEW, CLUSTER, LOCK TABLE), which Supabase's
-- `grant all` default hands to anon and authenticated as well, so every later table still gave
-- the API roles MAINTAIN. `revoke all` takes back whatever the server knows, now and in later
-- versions. A new migration rather than an edit of 001: 001 may already be applied to a project,
-- and `supabase db push` never re-runs an applied migration.
-- =====================================================================================================

alter default privileges for role postgres in schema public
  revoke all on tables from anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  revoke all on functions from anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  revoke all on sequences from anon, authenticated, service_role;

-- Tables made before this migration were created with MAINTAIN for the API roles (PostgreSQL 17
-- and later; earlier servers have no such privilege).
do $$
declare
  r record;
begin
  if pg_catalog.current_setting('server_version_num')::integer < 170000 then
    return;
  end if;
  for r in
    select c.oid::regclass as rel
    from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where n.nspname in ('public', 'metricdrop_private') and c.relkind in ('r', 'p', 'm')
  loop
    execute format('revoke maintain on table %s from anon, authenticated, service_role', r.rel);
  end loop;
end
$$;

insert into metricdrop_private.schema_versions (version, name) values ('022', 'default_privileges_revoke_all');

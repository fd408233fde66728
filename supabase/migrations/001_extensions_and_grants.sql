-- =====================================================================================================
-- 001 Extensions and grants
--
-- Supabase grants every new table, function and sequence in `public` to anon, authenticated and
-- service_role by default, and "adding policies doesn't take those grants back". We revoke those
-- defaults here and grant per object in later migrations, so the schema behaves the same whichever
-- default a project has. Functions additionally get EXECUTE revoked from PUBLIC one by one.
-- =====================================================================================================

alter default privileges for role postgres in schema public
  revoke select, insert, update, delete, truncate, references, trigger on tables from anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  revoke execute on functions from anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  revoke usage, select, update on sequences from anon, authenticated, service_role;

-- =====================================================================================================
-- Private schema: helpers the API does not expose (PostgREST serves `public` only)
-- =====================================================================================================

create schema metricdrop_private;
comment on schema metricdrop_private is
  'metricdrop helpers not exposed through the API: membership lookups used by policies, ingest helpers.';
revoke all on schema metricdrop_private from public;
-- Policies run as the querying role, so `authenticated` needs to reach the membership helper.
grant usage on schema metricdrop_private to authenticated;

-- Which migrations ran: `preflight()` reports the newest as the schema version.
create table metricdrop_private.schema_versions (
  version text primary key check (version ~ '^[0-9]{3}$'),
  name text not null,
  applied_at timestamptz not null default now()
);
alter table metricdrop_private.schema_versions enable row level security;
revoke all on table metricdrop_private.schema_versions from public, anon, authenticated, service_role;

insert into metricdrop_private.schema_versions (version, name) values ('001', 'extensions_and_grants');

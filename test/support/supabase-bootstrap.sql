-- What every Supabase database already has before the project's migrations run: the API roles, the
-- `auth` schema with `auth.users`, the JWT helper functions, and Supabase's default grants. Kept to
-- the parts our migrations and the test gateway rely on. This is a test harness, not Supabase.
-- Run it as a superuser of any name (Supabase's own is supabase_admin); sources: supabase/postgres
-- migrations/db/init-scripts/00000000000000-initial-schema.sql and a project's role dump.

do $$ begin
  if not exists (select 1 from pg_roles where rolname = 'anon') then create role anon nologin noinherit; end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then create role authenticated nologin noinherit; end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then create role service_role nologin noinherit bypassrls; end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticator') then
    create role authenticator login noinherit password 'authenticator';
  end if;
  -- Supabase's superuser, which owns what the platform creates.
  if not exists (select 1 from pg_roles where rolname = 'supabase_admin') then
    create role supabase_admin nologin superuser createdb createrole replication bypassrls;
  end if;
  -- The role `supabase db push` and the SQL editor run as: not a superuser on Supabase.
  if not exists (select 1 from pg_roles where rolname = 'postgres') then
    create role postgres login createrole createdb replication bypassrls password 'postgres';
  end if;
end $$;
alter role anon inherit;
grant anon, authenticated, service_role to authenticator;
-- The API roles' timeouts as on Supabase. PostgREST logs in as authenticator (8 s statement and lock
-- timeouts for the session) and applies the role's own statement_timeout when it switches to it.
-- Supabase also preloads pg-safeupdate for authenticator (no UPDATE or DELETE without WHERE): the
-- library is not in embedded-postgres, so test/db/safeupdate.test.ts checks every function body and
-- the test gateway refuses an unfiltered PATCH or DELETE the same way.
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
alter role authenticator set statement_timeout = '8s';
alter role authenticator set lock_timeout = '8s';

-- What `postgres` may do in this database on Supabase: create in it and in public, reach auth.users.
do $$ begin
  execute format('grant connect, create, temporary on database %I to postgres', current_database());
end $$;
grant usage, create on schema public to postgres;

create schema if not exists extensions;
create schema if not exists auth;

create table if not exists auth.users (
  instance_id uuid,
  id uuid primary key,
  aud varchar(255) default 'authenticated',
  role varchar(255) default 'authenticated',
  email varchar(255) unique,
  encrypted_password varchar(255),
  email_confirmed_at timestamptz,
  raw_app_meta_data jsonb default '{"provider":"email","providers":["email"]}'::jsonb,
  raw_user_meta_data jsonb default '{}'::jsonb,
  last_sign_in_at timestamptz,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  is_anonymous boolean not null default false
);

create or replace function auth.uid() returns uuid language sql stable as $$
  select coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''),
                  (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'))::uuid $$;
create or replace function auth.role() returns text language sql stable as $$
  select coalesce(nullif(current_setting('request.jwt.claim.role', true), ''),
                  (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'))::text $$;
create or replace function auth.email() returns text language sql stable as $$
  select coalesce(nullif(current_setting('request.jwt.claim.email', true), ''),
                  (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email'))::text $$;
create or replace function auth.jwt() returns jsonb language sql stable as $$
  select coalesce(nullif(current_setting('request.jwt.claim', true), ''),
                  nullif(current_setting('request.jwt.claims', true), ''))::jsonb $$;

grant usage on schema auth to postgres, anon, authenticated, service_role;
grant all on table auth.users to postgres;
grant usage on schema extensions to postgres, anon, authenticated, service_role;
grant usage on schema public to postgres, anon, authenticated, service_role;

-- Supabase's (current, permissive) defaults, for objects that postgres creates and for those that
-- supabase_admin creates: migrations must revoke what they do not want granted.
alter default privileges for role postgres in schema public grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on sequences to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public grant all on sequences to postgres, anon, authenticated, service_role;
-- And for the superuser running this, whatever its name (it is supabase_admin on Supabase).
alter default privileges in schema public grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to postgres, anon, authenticated, service_role;

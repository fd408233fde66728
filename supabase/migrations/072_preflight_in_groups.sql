-- =====================================================================================================
-- 072 preflight() over one private function per group of checks
--
-- preflight() had been written out whole three times (015, 021, 041) to change one of its ten
-- checks. It is now a few lines over four helpers, one per group (the schema the ingest relies on,
-- access, operations, migrations), so a check changes by replacing its group alone. The checks, their
-- order, names and details are 041's. migrations_applied also compares the versions recorded with
-- `supabase db push`'s own history (supabase_migrations.schema_migrations) where that exists: a
-- migration applied by hand is run again by the next push, and one that did not record itself
-- leaves preflight blind to it.
-- The helpers are not definer functions: called from preflight() they run as its owner, who may
-- read the catalogs and cron.job; nobody else may call them.
-- =====================================================================================================

-- One entry of the checklist.
create function metricdrop_private.preflight_check(p_name text, p_required boolean, p_ok boolean, p_detail text)
returns jsonb
language sql
immutable
set search_path = ''
as $$
  select jsonb_build_object('name', p_name, 'required', p_required, 'ok', p_ok, 'detail', p_detail)
$$;

-- The schema the ingest relies on: the natural-key indexes its upserts use, the fact grain's unique
-- index (NULLS NOT DISTINCT: re-uploads update in place) and the staging tables.
create function metricdrop_private.preflight_schema_checks()
returns jsonb
language sql
stable
set search_path = ''
as $$
  with no_natural_key as (
    select array_agg(t order by t) as missing
    from unnest(array['campaigns', 'ad_sets', 'ads']) t
    where not exists (
      select 1 from pg_catalog.pg_index i
      where i.indrelid = to_regclass('public.' || t)
        and i.indisunique and i.indisvalid and i.indpred is null and i.indexprs is null and i.indnkeyatts = 4
        and (select array_agg(a.attname::text order by a.attname) from pg_catalog.pg_attribute a
             where a.attrelid = i.indrelid and a.attnum = any (i.indkey::smallint[]))
            = array['client_id', 'external_id', 'platform', 'workspace_id'])),
  no_staging as (
    select array_agg(t order by t) as missing
    from unnest(array['staging_rows', 'staging_id_resolution']) t
    where to_regclass('public.' || t) is null)
  select jsonb_build_array(
    metricdrop_private.preflight_check('natural_key_indexes', true, k.missing is null,
      case when k.missing is null
           then 'campaigns, ad_sets and ads have a unique index on (workspace_id, client_id, platform, external_id)'
           else 'missing unique natural-key index on: ' || array_to_string(k.missing, ', ') end),
    metricdrop_private.preflight_check('fact_grain_index', true,
      exists (select 1 from pg_catalog.pg_index i
              where i.indrelid = to_regclass('public.daily_metrics')
                and i.indisunique and i.indisvalid and i.indnullsnotdistinct and i.indnkeyatts = 7 and i.indpred is null),
      'daily_metrics unique nulls not distinct on (workspace_id, client_id, platform, date, campaign_id, ad_set_id, ad_id)'),
    metricdrop_private.preflight_check('staging_tables', true, s.missing is null,
      case when s.missing is null then 'staging_rows and staging_id_resolution exist'
           else 'missing: ' || array_to_string(s.missing, ', ') || ' (run 008_staging_tables.sql)' end))
  from no_natural_key k, no_staging s
$$;

-- Access: row level security and a policy on every table of the API schema, no table anon can
-- touch, every SECURITY DEFINER function with a fixed search_path and out of anon's reach.
create function metricdrop_private.preflight_access_checks()
returns jsonb
language sql
stable
set search_path = ''
as $$
  with api_tables as (
    select c.oid, c.relname::text as name, c.relrowsecurity as rls
    from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p')),
  found as (
    select
      (select array_agg(t.name order by t.name) from api_tables t where not t.rls) as no_rls,
      (select array_agg(t.name order by t.name) from api_tables t
       where not exists (select 1 from pg_catalog.pg_policy p where p.polrelid = t.oid)) as no_policy,
      (select array_agg(c.relname::text order by c.relname)
       from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
       where n.nspname in ('public', 'metricdrop_private') and c.relkind in ('r', 'p', 'v', 'm')
         and pg_catalog.has_table_privilege('anon', c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE')) as anon_tables,
      (select array_agg(p.oid::regprocedure::text order by 1)
       from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
       where n.nspname in ('public', 'metricdrop_private') and p.prosecdef
         and (not coalesce(p.proconfig && array['search_path=""', 'search_path='], false)
              or pg_catalog.has_function_privilege('anon', p.oid, 'EXECUTE'))) as loose_definers)
  select jsonb_build_array(
    metricdrop_private.preflight_check('rls_enabled', true, f.no_rls is null,
      case when f.no_rls is null then 'row level security is on for every table in public'
           else 'row level security is off for: ' || array_to_string(f.no_rls, ', ') end),
    metricdrop_private.preflight_check('policies_present', true, f.no_policy is null,
      case when f.no_policy is null then 'every table in public has policies'
           else 'no policy on: ' || array_to_string(f.no_policy, ', ') end),
    metricdrop_private.preflight_check('anon_has_no_table_access', true, f.anon_tables is null,
      case when f.anon_tables is null then 'anon holds no privilege on any table'
           else 'anon has privileges on: ' || array_to_string(f.anon_tables, ', ') end),
    metricdrop_private.preflight_check('definer_functions_locked', true, f.loose_definers is null,
      case when f.loose_definers is null
           then 'every SECURITY DEFINER function sets search_path = '''' and anon cannot execute it'
           else 'check: ' || array_to_string(f.loose_definers, ', ') end))
  from found f
$$;

-- Operations: where failures are logged, and whether the staging cleanup is scheduled (advisory:
-- pg_cron is not available everywhere).
create function metricdrop_private.preflight_operations_checks()
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_cron boolean := exists (select 1 from pg_catalog.pg_extension where extname = 'pg_cron');
  v_scheduled boolean := false;
begin
  if v_cron then
    execute 'select exists (select 1 from cron.job where active and command like ''%public.cleanup_staging()%'')'
      into v_scheduled;
  end if;
  return jsonb_build_array(
    metricdrop_private.preflight_check('error_logging', true,
      to_regprocedure('public.fail_upload(uuid, text, text, text)') is not null,
      'upload failures are recorded in data_uploads.summary.error by fail_upload()'),
    metricdrop_private.preflight_check('cleanup_scheduled', false, v_scheduled,
      case when v_scheduled then 'pg_cron runs public.cleanup_staging() hourly'
           when v_cron then 'pg_cron is enabled but no job runs public.cleanup_staging(); re-run migration 014'
           else 'pg_cron is not available: run select public.cleanup_staging() hourly as the service role from another scheduler' end));
end
$$;

-- The versions in supabase_migrations.schema_migrations (what `supabase db push` has applied), or
-- null where the CLI's history is not there (migrations applied another way) or not readable by
-- preflight()'s owner (db push creates it as postgres, who owns preflight()).
create function metricdrop_private.pushed_migrations()
returns text[]
language plpgsql
stable
set search_path = ''
as $$
declare
  v_versions text[];
begin
  -- Each test in its turn: looking a name up in a schema one may not use is an error, not a null.
  if not exists (select 1 from pg_catalog.pg_namespace n where n.nspname = 'supabase_migrations')
     or not pg_catalog.has_schema_privilege('supabase_migrations', 'USAGE')
     or to_regclass('supabase_migrations.schema_migrations') is null
     or not pg_catalog.has_table_privilege('supabase_migrations.schema_migrations', 'SELECT') then
    return null;
  end if;
  execute 'select coalesce(array_agg(m.version::text order by m.version), ''{}'') from supabase_migrations.schema_migrations m'
    into v_versions;
  return v_versions;
end
$$;

-- Migrations: every one applied, and each recorded. Areas number their migrations from the start of
-- their own block of ten (040, 041, ...), so a block may begin after unused numbers; any other
-- missing number is a migration left out. Where `db push` keeps its history, it lists the same
-- versions as schema_versions.
create function metricdrop_private.preflight_migrations_check()
returns jsonb
language sql
stable
set search_path = ''
as $$
  with recorded as (
    select coalesce(array_agg(v.version order by v.version), '{}') as versions from metricdrop_private.schema_versions v),
  holes as (
    select array_agg(g.version order by g.version) as before
    from (select v.version, lag(v.version) over (order by v.version) as prior from metricdrop_private.schema_versions v) g
    where g.version::integer <> coalesce(g.prior::integer, 0) + 1 and g.version::integer % 10 <> 0),
  history as (
    select p.pushed,
           (select array_agg(x order by x) from unnest(p.pushed) x where x <> all (r.versions)) as unrecorded,
           (select array_agg(x order by x) from unnest(r.versions) x where x <> all (p.pushed)) as unpushed
    from (select metricdrop_private.pushed_migrations() as pushed) p, recorded r)
  select metricdrop_private.preflight_check('migrations_applied', true,
    h.before is null and h2.unrecorded is null and h2.unpushed is null,
    case when h.before is not null
         then format('a migration before %s is not applied; apply every migration in order', array_to_string(h.before, ', '))
         when h2.unrecorded is not null
         then format('supabase db push applied %s, which schema_versions does not record', array_to_string(h2.unrecorded, ', '))
         when h2.unpushed is not null
         then format('%s recorded but not in supabase db push''s history (applied by hand?): the next db push runs it again',
                     array_to_string(h2.unpushed, ', '))
         else format('%s migrations recorded, newest %s', cardinality(r.versions), r.versions[cardinality(r.versions)])
              || case when h2.pushed is not null then ', the same as supabase db push''s history' else '' end end)
  from recorded r, holes h, history h2
$$;

revoke all on function metricdrop_private.preflight_check(text, boolean, boolean, text), metricdrop_private.preflight_schema_checks(),
  metricdrop_private.preflight_access_checks(), metricdrop_private.preflight_operations_checks(),
  metricdrop_private.pushed_migrations(), metricdrop_private.preflight_migrations_check()
  from public, anon, authenticated, service_role;

-- {ok, schema_version, checks: [{name, ok, required, detail}]}; ok is true when every required check
-- passes (cleanup_scheduled is advisory).
-- Why definer: its checks read the catalogs and cron.job, which authenticated may not read; it
-- returns no tenant data.
create or replace function public.preflight()
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_checks jsonb;
begin
  perform metricdrop_private.caller();
  v_checks := metricdrop_private.preflight_schema_checks() || metricdrop_private.preflight_access_checks()
    || metricdrop_private.preflight_operations_checks() || metricdrop_private.preflight_migrations_check();
  return jsonb_build_object(
    'ok', not exists (select 1 from jsonb_array_elements(v_checks) c where (c ->> 'required')::boolean and not (c ->> 'ok')::boolean),
    'schema_version', (select max(v.version) from metricdrop_private.schema_versions v),
    'checks', v_checks);
end
$$;

select metricdrop_private.record_migration('072', 'preflight_in_groups');

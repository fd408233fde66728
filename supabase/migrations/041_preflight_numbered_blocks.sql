-- =====================================================================================================
-- 041 preflight(): migrations numbered in blocks of ten per area are not a gap
--
-- Migrations are numbered in blocks (016-019, 020-029, 030-039, 040-049, ...), so 040 may follow 015
-- on a correct install. The rest of preflight() is 015's, unchanged.
-- =====================================================================================================

create or replace function public.preflight()
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_checks jsonb := '[]'::jsonb;
  v_missing text[];
  v_version text;
  v_scheduled boolean := false;
  v_cron boolean;
begin
  perform metricdrop_private.caller();

  -- 1. Unique indexes on the dimension natural keys (the upserts rely on them).
  select array_agg(t order by t) into v_missing
  from unnest(array['campaigns', 'ad_sets', 'ads']) t
  where not exists (
    select 1
    from pg_catalog.pg_index i
    where i.indrelid = to_regclass('public.' || t)
      and i.indisunique and i.indisvalid and i.indpred is null and i.indexprs is null
      and i.indnkeyatts = 4
      and (select array_agg(a.attname::text order by a.attname)
           from pg_catalog.pg_attribute a
           where a.attrelid = i.indrelid and a.attnum = any (i.indkey::smallint[]))
          = array['client_id', 'external_id', 'platform', 'workspace_id']);
  v_checks := v_checks || jsonb_build_object('name', 'natural_key_indexes', 'required', true,
    'ok', v_missing is null,
    'detail', case when v_missing is null
                   then 'campaigns, ad_sets and ads have a unique index on (workspace_id, client_id, platform, external_id)'
                   else 'missing unique natural-key index on: ' || array_to_string(v_missing, ', ') end);

  -- 2. The fact grain's unique index (NULLS NOT DISTINCT), which makes re-uploads update in place.
  v_checks := v_checks || jsonb_build_object('name', 'fact_grain_index', 'required', true,
    'ok', exists (
      select 1 from pg_catalog.pg_index i
      where i.indrelid = to_regclass('public.daily_metrics')
        and i.indisunique and i.indisvalid and i.indnullsnotdistinct and i.indnkeyatts = 7 and i.indpred is null),
    'detail', 'daily_metrics unique nulls not distinct on (workspace_id, client_id, platform, date, campaign_id, ad_set_id, ad_id)');

  -- 3. Staging tables (008_staging_tables.sql).
  select array_agg(t order by t) into v_missing
  from unnest(array['staging_rows', 'staging_id_resolution']) t
  where to_regclass('public.' || t) is null;
  v_checks := v_checks || jsonb_build_object('name', 'staging_tables', 'required', true,
    'ok', v_missing is null,
    'detail', case when v_missing is null then 'staging_rows and staging_id_resolution exist'
                   else 'missing: ' || array_to_string(v_missing, ', ') || ' (run 008_staging_tables.sql)' end);

  -- 4. Row level security on every table of the API schema.
  select array_agg(c.relname::text order by c.relname) into v_missing
  from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relrowsecurity;
  v_checks := v_checks || jsonb_build_object('name', 'rls_enabled', 'required', true,
    'ok', v_missing is null,
    'detail', case when v_missing is null then 'row level security is on for every table in public'
                   else 'row level security is off for: ' || array_to_string(v_missing, ', ') end);

  -- 5. At least one policy on every table (RLS without a policy silently hides everything).
  select array_agg(c.relname::text order by c.relname) into v_missing
  from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  where n.nspname = 'public' and c.relkind in ('r', 'p')
    and not exists (select 1 from pg_catalog.pg_policy p where p.polrelid = c.oid);
  v_checks := v_checks || jsonb_build_object('name', 'policies_present', 'required', true,
    'ok', v_missing is null,
    'detail', case when v_missing is null then 'every table in public has policies'
                   else 'no policy on: ' || array_to_string(v_missing, ', ') end);

  -- 6. anon can touch no table.
  select array_agg(c.relname::text order by c.relname) into v_missing
  from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  where n.nspname in ('public', 'metricdrop_private') and c.relkind in ('r', 'p', 'v', 'm')
    and pg_catalog.has_table_privilege('anon', c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE');
  v_checks := v_checks || jsonb_build_object('name', 'anon_has_no_table_access', 'required', true,
    'ok', v_missing is null,
    'detail', case when v_missing is null then 'anon holds no privilege on any table'
                   else 'anon has privileges on: ' || array_to_string(v_missing, ', ') end);

  -- 7. SECURITY DEFINER functions pin search_path and are not executable by anon.
  select array_agg(p.oid::regprocedure::text order by 1) into v_missing
  from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
  where n.nspname in ('public', 'metricdrop_private') and p.prosecdef
    and (not coalesce(p.proconfig && array['search_path=""', 'search_path='], false)
         or pg_catalog.has_function_privilege('anon', p.oid, 'EXECUTE'));
  v_checks := v_checks || jsonb_build_object('name', 'definer_functions_locked', 'required', true,
    'ok', v_missing is null,
    'detail', case when v_missing is null then 'every SECURITY DEFINER function sets search_path = '''' and anon cannot execute it'
                   else 'check: ' || array_to_string(v_missing, ', ') end);

  -- 8. Error logging destination (the lock's checklist): failures land in data_uploads.summary.error.
  v_checks := v_checks || jsonb_build_object('name', 'error_logging', 'required', true,
    'ok', to_regprocedure('public.fail_upload(uuid, text, text, text)') is not null,
    'detail', 'upload failures are recorded in data_uploads.summary.error by fail_upload()');

  -- 9. Cleanup scheduled (advisory).
  v_cron := exists (select 1 from pg_catalog.pg_extension where extname = 'pg_cron');
  if v_cron then
    execute 'select exists (select 1 from cron.job where active and command like ''%public.cleanup_staging()%'')'
      into v_scheduled;
  end if;
  v_checks := v_checks || jsonb_build_object('name', 'cleanup_scheduled', 'required', false,
    'ok', v_scheduled,
    'detail', case when v_scheduled then 'pg_cron runs public.cleanup_staging() hourly'
                   when v_cron then 'pg_cron is enabled but no job runs public.cleanup_staging(); re-run migration 014'
                   else 'pg_cron is not available: run select public.cleanup_staging() hourly as the service role from another scheduler' end);

  -- 10. Migrations applied without a gap. Each area of the project numbers its migrations from the
  -- start of its own block of ten (040, 041, ...), so a block may begin after unused numbers; any
  -- other missing number is a migration left out.
  select max(v.version) into v_version from metricdrop_private.schema_versions v;
  select array_agg(g.version order by g.version) into v_missing
  from (select v.version, lag(v.version) over (order by v.version) as before
        from metricdrop_private.schema_versions v) g
  where g.version::integer <> coalesce(g.before::integer, 0) + 1 and g.version::integer % 10 <> 0;
  v_checks := v_checks || jsonb_build_object('name', 'migrations_applied', 'required', true,
    'ok', v_missing is null,
    'detail', case when v_missing is null
                   then format('%s migrations recorded, newest %s', (select count(*) from metricdrop_private.schema_versions), v_version)
                   else format('a migration before %s is not applied; apply every migration in order', array_to_string(v_missing, ', ')) end);

  return jsonb_build_object(
    'ok', not exists (select 1 from jsonb_array_elements(v_checks) c where (c ->> 'required')::boolean and not (c ->> 'ok')::boolean),
    'schema_version', v_version,
    'checks', v_checks);
end
$$;

insert into metricdrop_private.schema_versions (version, name) values ('041', 'preflight_numbered_blocks');

-- =====================================================================================================
-- 075 The retention rule once: when an upload can no longer go on
--
-- "A dry run older than dry_run_retention(), any upload older than upload_retention()" was written
-- out in active_uploads() (such an upload holds no slot) and in cleanup_staging() (its staging is
-- deleted); upload_for_write() refuses it with UPLOAD_EXPIRED (its call site is the hot path's, in
-- 080-089). past_retention() says it once. (A function with a fixed search_path is never inlined,
-- so the cleanup also bounds created_at by the shorter retention, a range its index serves.)
-- =====================================================================================================

-- True when an upload of p_mode begun at p_created_at is past its retention at p_now.
create function metricdrop_private.past_retention(p_mode text, p_created_at timestamptz, p_now timestamptz)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select p_created_at < p_now - metricdrop_private.upload_retention()
         or (p_mode = 'FULL_DRY_RUN' and p_created_at < p_now - metricdrop_private.dry_run_retention())
$$;
revoke all on function metricdrop_private.past_retention(text, timestamptz, timestamptz) from public, anon, authenticated, service_role;

-- Uploads of a workspace holding a slot: active and not past their retention (such an upload can
-- never go on, so it holds no slot even before the cleanup marks it expired).
create or replace function metricdrop_private.active_uploads(p_workspace_id uuid)
returns integer
language sql
stable
set search_path = ''
as $$
  select count(*)::integer from public.data_uploads u
  where u.workspace_id = p_workspace_id and u.status = any (metricdrop_private.active_upload_statuses())
    and not metricdrop_private.past_retention(u.mode, u.created_at, now())
$$;

-- Deletes the staging of uploads past their retention (past_retention()), and expires those that
-- had not finished (or, for dry runs, not been committed). p_now lets tests and operators move the
-- clock. Returns what it did.
-- Why definer: it deletes staging of every workspace; EXECUTE is granted to service_role only, and
-- pg_cron runs it as the owner.
create or replace function public.cleanup_staging(p_now timestamptz default now())
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_stale uuid[];
  v_expired integer;
  v_rows bigint;
  v_resolutions bigint;
begin
  if p_now is null then
    perform metricdrop_private.refuse('INVALID_INPUT', 'cleanup_staging needs a time (p_now); leave it out to use now().');
  end if;
  select coalesce(array_agg(u.id), '{}') into v_stale
  from public.data_uploads u
  where u.created_at < p_now - least(metricdrop_private.dry_run_retention(), metricdrop_private.upload_retention())
    and metricdrop_private.past_retention(u.mode, u.created_at, p_now)
    and (u.status = any (metricdrop_private.active_upload_statuses())
         or exists (select 1 from public.staging_rows s where s.upload_id = u.id)
         or exists (select 1 from public.staging_id_resolution r where r.upload_id = u.id)
         or exists (select 1 from public.staging_entities e where e.upload_id = u.id));

  update public.data_uploads u
  set status = 'expired',
      summary = u.summary || jsonb_build_object('expired_at', p_now)
  where u.id = any (v_stale) and u.status = any (metricdrop_private.active_upload_statuses());
  get diagnostics v_expired = row_count;

  delete from public.staging_rows s where s.upload_id = any (v_stale);
  get diagnostics v_rows = row_count;
  delete from public.staging_id_resolution r where r.upload_id = any (v_stale);
  get diagnostics v_resolutions = row_count;
  delete from public.staging_entities e where e.upload_id = any (v_stale);

  return jsonb_build_object(
    'uploads', coalesce(array_length(v_stale, 1), 0),
    'expired_uploads', v_expired,
    'deleted_staging_rows', v_rows,
    'deleted_resolutions', v_resolutions);
end
$$;

select metricdrop_private.record_migration('075', 'retention_rule_once');

-- =====================================================================================================
-- 008 Staging (the readiness lock's D6.5.2): staging_rows, staging_id_resolution, RLS, cleanup
--
-- staging_rows holds each upload's canonical rows as sent; staging_id_resolution maps each external
-- id of an upload to the dimension row it resolved to (or would, in a dry run). Retention: 7 days for
-- every upload, 24 hours for dry runs; cleanup_staging() deletes older staging and expires what can
-- no longer continue. Written only by the ingest functions and the cleanup.
-- =====================================================================================================

create table public.staging_rows (
  workspace_id uuid not null,
  upload_id uuid not null references public.data_uploads (id) on delete cascade,
  row_number integer not null check (row_number >= 1),
  payload jsonb not null,
  created_at timestamptz not null default now(),
  constraint staging_rows_upload_row_key primary key (upload_id, row_number)
);
comment on table public.staging_rows is
  'Canonical rows of an upload as sent by the app (payload), keyed by their spreadsheet row number.';
create index staging_rows_workspace_idx on public.staging_rows (workspace_id);

create table public.staging_id_resolution (
  workspace_id uuid not null,
  upload_id uuid not null references public.data_uploads (id) on delete cascade,
  entity_type text not null check (entity_type in ('campaign', 'ad_set', 'ad')),
  external_id text not null,
  resolved_id uuid,
  action text not null check (action in ('existing', 'created', 'updated', 'would_create', 'would_update')),
  created_at timestamptz not null default now(),
  primary key (upload_id, entity_type, external_id),
  constraint staging_id_resolution_resolved check ((resolved_id is null) = (action = 'would_create'))
);
comment on table public.staging_id_resolution is
  'External id -> dimension id per upload; resolved_id is null only for an entity a dry run would create.';
create index staging_id_resolution_workspace_idx on public.staging_id_resolution (workspace_id);

-- The distinct entity combinations of an upload's staged rows (campaign, ad set and ad, id and name),
-- with the first row of each: written once when campaigns are resolved, so the three dimension
-- stages and their conflict checks read a few hundred rows instead of every staged row again.
create table public.staging_entities (
  workspace_id uuid not null,
  upload_id uuid not null references public.data_uploads (id) on delete cascade,
  first_row integer not null,
  campaign_external_id text not null,
  campaign_name text not null,
  ad_set_external_id text,
  ad_set_name text,
  ad_external_id text,
  ad_name text,
  created_at timestamptz not null default now(),
  primary key (upload_id, first_row)
);
comment on table public.staging_entities is
  'Distinct campaign / ad set / ad ids and names of an upload''s staged rows, with the first row of each.';
create index staging_entities_workspace_idx on public.staging_entities (workspace_id);

alter table public.staging_rows enable row level security;
alter table public.staging_id_resolution enable row level security;
alter table public.staging_entities enable row level security;

create policy "Members can read their workspace's staged rows"
  on public.staging_rows for select to authenticated
  using (workspace_id in (select metricdrop_private.workspaces_of((select auth.uid()))));

create policy "Members can read their workspace's id resolutions"
  on public.staging_id_resolution for select to authenticated
  using (workspace_id in (select metricdrop_private.workspaces_of((select auth.uid()))));

create policy "Members can read their workspace's staged entities"
  on public.staging_entities for select to authenticated
  using (workspace_id in (select metricdrop_private.workspaces_of((select auth.uid()))));

revoke all on table public.staging_rows, public.staging_id_resolution, public.staging_entities
  from public, anon, authenticated, service_role;
grant select on table public.staging_rows, public.staging_id_resolution, public.staging_entities to authenticated;

-- =====================================================================================================
-- Cleanup
-- =====================================================================================================

-- Deletes staging of uploads older than 7 days and of dry runs older than 24 hours, and expires
-- those uploads that had not finished (or, for dry runs, not been committed). p_now lets tests and
-- operators move the clock. Returns what it did.
-- Why definer: it deletes staging of every workspace; EXECUTE is granted to service_role only, and
-- pg_cron runs it as the owner.
create function public.cleanup_staging(p_now timestamptz default now())
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
  where (u.created_at < p_now - interval '7 days'
         or (u.mode = 'FULL_DRY_RUN' and u.created_at < p_now - interval '24 hours'))
    and (u.status in ('pending', 'staging', 'staged', 'committing')
         or exists (select 1 from public.staging_rows s where s.upload_id = u.id)
         or exists (select 1 from public.staging_id_resolution r where r.upload_id = u.id)
         or exists (select 1 from public.staging_entities e where e.upload_id = u.id));

  update public.data_uploads u
  set status = 'expired',
      summary = u.summary || jsonb_build_object('expired_at', p_now)
  where u.id = any (v_stale) and u.status in ('pending', 'staging', 'staged', 'committing');
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
revoke all on function public.cleanup_staging(timestamptz) from public, anon, authenticated, service_role;
grant execute on function public.cleanup_staging(timestamptz) to service_role;

insert into metricdrop_private.schema_versions (version, name) values ('008', 'staging_tables');

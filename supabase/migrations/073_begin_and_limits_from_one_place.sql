-- =====================================================================================================
-- 073 begin_upload in steps short enough to read; the limits asked of 070 wherever they are used
--
-- begin_upload (009) was 150 lines: argument checks, the limits of a new upload, the workspace's
-- slots and the client's rate, the insert and the previous upload, each with its own copy of the
-- limits. Each is now a private function, and begin_upload calls them in the same order, with the
-- same codes, sentences and details. promote_upload shares the rate check; cleanup_staging,
-- recent_commits, upload_progress and note_upload_mapping ask 070 for the statuses, retentions,
-- batch size and sizes they repeated. Not here: the functions of the ingest's hot path
-- (stage_rows, stage_batch, resolve_dimensions, write_facts, finish_upload, upload_for_write and
-- their helpers) are being rewritten for speed in 080-089, which take the limits from 070 too.
-- =====================================================================================================

-- The longest file name an upload keeps (data_uploads.file_name).
create function metricdrop_private.file_name_max_chars() returns integer
language sql immutable set search_path = '' as $$ select 1024 $$;

alter table public.data_uploads drop constraint data_uploads_file_name_check,
  add constraint data_uploads_file_name_check check (length(file_name) between 1 and metricdrop_private.file_name_max_chars());

-- A whole number for a sentence, in groups of three: 100000 -> '100,000' (whatever lc_numeric says).
create function metricdrop_private.thousands(p_n bigint) returns text
language sql immutable set search_path = '' as $$
  select regexp_replace(p_n::text, '(\d)(?=(\d{3})+$)', '\1,', 'g')
$$;

-- A duration for a sentence or a detail: '1 hour', '24 hours', '7 days'.
create function metricdrop_private.duration_text(p_duration interval) returns text
language sql immutable set search_path = '' as $$
  select case when s >= 172800 and s % 86400 = 0 then (s / 86400) || ' days'
              when s % 3600 = 0 then (s / 3600) || case when s = 3600 then ' hour' else ' hours' end
              else (s / 60) || ' minutes' end
  from (select extract(epoch from p_duration)::bigint as s) d
$$;

-- INVALID_INPUT unless p_value is one of p_values: 'The platform must be meta, google or tiktok, not bing.'
create function metricdrop_private.require_one_of(p_what text, p_value text, p_values text[]) returns void
language plpgsql set search_path = '' as $$
begin
  if p_value is null or p_value <> all (p_values) then
    perform metricdrop_private.refuse('INVALID_INPUT',
      format('The %s must be %s, not %s.', p_what, metricdrop_private.one_of(p_values), coalesce(p_value, 'nothing')));
  end if;
end
$$;

-- The arguments of begin_upload it cannot work with, INVALID_INPUT.
create function metricdrop_private.check_begin_arguments(
  p_upload_id uuid, p_workspace_id uuid, p_client_id uuid, p_platform text, p_mode text, p_file_name text,
  p_file_sha256 text, p_file_bytes bigint, p_row_count integer, p_level text, p_currency text)
returns void
language plpgsql
set search_path = ''
as $$
begin
  if p_upload_id is null or p_workspace_id is null or p_client_id is null then
    perform metricdrop_private.refuse('INVALID_INPUT', 'An upload id, a workspace and a client are required to begin an upload.');
  end if;
  perform metricdrop_private.require_one_of('platform', p_platform, metricdrop_private.platforms());
  perform metricdrop_private.require_one_of('mode', p_mode, metricdrop_private.upload_modes());
  perform metricdrop_private.require_one_of('level', p_level, metricdrop_private.entity_types());
  if p_file_name is null or length(p_file_name) not between 1 and metricdrop_private.file_name_max_chars() then
    perform metricdrop_private.refuse('INVALID_INPUT',
      format('The file name must be 1 to %s characters.', metricdrop_private.file_name_max_chars()));
  end if;
  if p_file_sha256 is null or p_file_sha256 !~ '^[0-9a-f]{64}$' then
    perform metricdrop_private.refuse('INVALID_INPUT', 'The file''s SHA-256 must be 64 lower-case hexadecimal characters.');
  end if;
  if p_file_bytes is null or p_file_bytes < 0 or p_row_count is null or p_row_count < 0 then
    perform metricdrop_private.refuse('INVALID_INPUT', 'The file size and row count must be given and not negative.');
  end if;
  if p_currency is not null and p_currency !~ '^[A-Z]{3}$' then
    perform metricdrop_private.refuse('INVALID_INPUT',
      format('The currency must be an ISO 4217 code such as USD, not %s.', p_currency));
  end if;
end
$$;

-- What a new upload of this file to this client may not be: another kind of data, too large, too
-- many rows, in another currency.
create function metricdrop_private.check_new_upload(p_client public.clients, p_kind text, p_file_bytes bigint,
                                                    p_row_count integer, p_currency text)
returns void
language plpgsql
set search_path = ''
as $$
declare
  c_max_bytes constant bigint := metricdrop_private.max_file_bytes();
  c_max_rows constant integer := metricdrop_private.max_upload_rows();
begin
  if p_kind is distinct from 'daily_performance' then
    perform metricdrop_private.refuse('SCHEMA_INCOMPLETE',
      format('Only daily performance exports can be uploaded. The database has no tables for %s data yet; export the daily performance report instead.',
             coalesce(replace(p_kind, '_', ' '), 'this kind of')),
      jsonb_build_object('kind', p_kind));
  end if;
  if p_file_bytes > c_max_bytes then
    perform metricdrop_private.refuse('FILE_TOO_LARGE',
      format('The file is %s MB; one upload may be at most %s MB. Export a shorter date range.',
             round(p_file_bytes / 1048576.0, 1), c_max_bytes / 1048576),
      jsonb_build_object('bytes', p_file_bytes, 'limit', c_max_bytes));
  end if;
  if p_row_count > c_max_rows then
    perform metricdrop_private.refuse('TOO_MANY_ROWS',
      format('The file has %s data rows; one upload may have at most %s. Export a shorter date range.',
             p_row_count, metricdrop_private.thousands(c_max_rows)),
      jsonb_build_object('rows', p_row_count, 'limit', c_max_rows));
  end if;
  if p_currency is not null and p_currency <> p_client.currency then
    perform metricdrop_private.refuse('CURRENCY_MISMATCH',
      format('The file is in %s but client "%s" reports in %s. Choose the client whose ad account the file comes from.',
             p_currency, p_client.name, p_client.currency),
      jsonb_build_object('file_currency', p_currency, 'client_currency', p_client.currency));
  end if;
end
$$;

-- Uploads of a workspace holding a slot: active, and not past their retention (a dry run after
-- dry_run_retention(), anything after upload_retention() can never go on, so it holds no slot even
-- before the cleanup marks it expired).
create function metricdrop_private.active_uploads(p_workspace_id uuid)
returns integer
language sql
stable
set search_path = ''
as $$
  select count(*)::integer from public.data_uploads u
  where u.workspace_id = p_workspace_id and u.status = any (metricdrop_private.active_upload_statuses())
    and u.created_at >= now() - metricdrop_private.upload_retention()
    and not (u.mode = 'FULL_DRY_RUN' and u.created_at < now() - metricdrop_private.dry_run_retention())
$$;

-- CONCURRENCY_LIMIT when the workspace has no slot left (call under its begin lock).
create function metricdrop_private.check_upload_slot(p_workspace_id uuid)
returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  c_max constant integer := metricdrop_private.max_active_uploads();
  v_active integer := metricdrop_private.active_uploads(p_workspace_id);
begin
  if v_active >= c_max then
    perform metricdrop_private.refuse('CONCURRENCY_LIMIT',
      format('This workspace already has %s uploads in progress (dry runs awaiting commit count too); at most %s may run at once. Wait for one to finish, or cancel one, then try again.',
             v_active, c_max),
      jsonb_build_object('active', v_active, 'limit', c_max));
  end if;
end
$$;

-- COMMIT uploads of a client begun (or promoted from a dry run) within rate_window() before now().
-- A promoted dry run was begun at most dry_run_retention() before its promotion.
create or replace function metricdrop_private.recent_commits(p_client_id uuid)
returns integer
language sql
stable
set search_path = ''
as $$
  select count(*)::integer
  from public.data_uploads u
  left join public.upload_ledger l on l.upload_id = u.id
  where u.client_id = p_client_id
    and u.mode = 'COMMIT'
    and u.created_at > now() - (metricdrop_private.dry_run_retention() + metricdrop_private.rate_window())
    and coalesce(l.promoted_at, u.created_at) > now() - metricdrop_private.rate_window()
$$;

-- RATE_LIMITED when the client had max_commits_per_window() COMMIT uploads within rate_window();
-- p_then ends the sentence (what to do). Call under the workspace's begin lock.
create function metricdrop_private.check_commit_rate(p_client public.clients, p_then text)
returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  c_max constant integer := metricdrop_private.max_commits_per_window();
  c_window constant text := metricdrop_private.duration_text(metricdrop_private.rate_window());
  v_recent integer := metricdrop_private.recent_commits(p_client.id);
begin
  if v_recent >= c_max then
    perform metricdrop_private.refuse('RATE_LIMITED',
      format('Client "%s" already had %s uploads committed in the last %s; at most %s per %s are allowed. %s',
             p_client.name, v_recent, regexp_replace(c_window, '^1 ', ''), c_max, regexp_replace(c_window, '^1 ', ''), p_then),
      jsonb_build_object('recent', v_recent, 'limit', c_max, 'window', c_window));
  end if;
end
$$;

-- The last completed COMMIT upload of the same file for the client, other than p_upload_id:
-- {id, uploaded_by_email, created_at}, or null.
create function metricdrop_private.previous_upload(p_client_id uuid, p_file_sha256 text, p_upload_id uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object('id', d.id, 'uploaded_by_email', au.email, 'created_at', d.created_at)
  from public.data_uploads d
  left join auth.users au on au.id = d.uploaded_by
  where d.client_id = p_client_id and d.file_sha256 = p_file_sha256 and d.mode = 'COMMIT'
    and d.status = 'completed' and d.id <> p_upload_id
  order by d.created_at desc
  limit 1
$$;

revoke all on function metricdrop_private.file_name_max_chars(), metricdrop_private.thousands(bigint),
  metricdrop_private.duration_text(interval), metricdrop_private.require_one_of(text, text, text[]),
  metricdrop_private.check_begin_arguments(uuid, uuid, uuid, text, text, text, text, bigint, integer, text, text),
  metricdrop_private.check_new_upload(public.clients, text, bigint, integer, text), metricdrop_private.active_uploads(uuid),
  metricdrop_private.check_upload_slot(uuid), metricdrop_private.check_commit_rate(public.clients, text),
  metricdrop_private.previous_upload(uuid, text, uuid)
  from public, anon, authenticated, service_role;

-- Creates the data_uploads row (status pending) after checking, in this order: signed in, arguments,
-- membership with a role that may upload, the client, then (under a per-workspace lock, so racing
-- begins are counted one at a time) the same id again, the new upload's kind, size, rows and
-- currency, the workspace's slots and (COMMIT) the client's rate. Same id and same file again
-- returns the existing upload; same id for another file or workspace is UPLOAD_CONFLICT.
-- `previous`: the last completed COMMIT of the same file for the client.
-- Why definer: authenticated may not insert into data_uploads; this function checks membership and
-- role itself and is the only way in.
create or replace function public.begin_upload(
  p_upload_id uuid, p_workspace_id uuid, p_client_id uuid, p_platform text, p_mode text, p_file_name text,
  p_file_sha256 text, p_file_bytes bigint, p_row_count integer, p_level text, p_currency text,
  p_kind text default 'daily_performance')
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := metricdrop_private.caller();
  v_client public.clients;
  v_upload public.data_uploads;
begin
  perform metricdrop_private.check_begin_arguments(p_upload_id, p_workspace_id, p_client_id, p_platform, p_mode,
    p_file_name, p_file_sha256, p_file_bytes, p_row_count, p_level, p_currency);
  perform metricdrop_private.require_role(p_workspace_id, 'member');
  select * into v_client from public.clients c where c.id = p_client_id and c.workspace_id = p_workspace_id;
  if v_client.id is null then
    perform metricdrop_private.refuse('CLIENT_NOT_FOUND',
      'This workspace has no such client. Choose one of the workspace''s clients, or ask an admin to add it.');
  end if;

  -- From here on, one begin per workspace at a time: the limits count committed uploads only.
  perform metricdrop_private.lock_key('begin:' || p_workspace_id::text);
  select * into v_upload from public.data_uploads u where u.id = p_upload_id;
  if v_upload.id is null then
    perform metricdrop_private.check_new_upload(v_client, p_kind, p_file_bytes, p_row_count, p_currency);
    perform metricdrop_private.check_upload_slot(p_workspace_id);
    if p_mode = 'COMMIT' then
      perform metricdrop_private.check_commit_rate(v_client, 'Try again later.');
    end if;
    insert into public.data_uploads as u (id, workspace_id, client_id, platform, uploaded_by, file_name, file_sha256,
                                          mode, status, row_count)
    values (p_upload_id, p_workspace_id, p_client_id, p_platform, v_uid, p_file_name, p_file_sha256,
            p_mode, 'pending', p_row_count)
    on conflict (id) do nothing   -- the id exists in another workspace (whose lock we do not hold)
    returning * into v_upload;
    if v_upload.id is not null then
      insert into public.upload_ledger (upload_id, workspace_id, file_bytes, level, currency, kind)
      values (p_upload_id, p_workspace_id, p_file_bytes, p_level, p_currency, p_kind);
    end if;
  end if;
  if v_upload.id is null or v_upload.workspace_id <> p_workspace_id or v_upload.client_id <> p_client_id
     or v_upload.file_sha256 <> p_file_sha256 or v_upload.uploaded_by <> v_uid or v_upload.mode <> p_mode then
    perform metricdrop_private.refuse('UPLOAD_CONFLICT',
      'This upload id is already used for another file, client or mode. Begin the upload with a new id.');
  end if;
  return to_jsonb(v_upload) || jsonb_build_object('previous',
    metricdrop_private.previous_upload(p_client_id, p_file_sha256, p_upload_id));
end
$$;

-- Turns a finished (staged) dry run into a COMMIT upload of the same staged rows: the dry run's
-- resolutions and dimension/fact ledgers are cleared so the stages run again, this time writing.
-- UPLOAD_EXPIRED when the dry run is past its retention or expired; the COMMIT rate limit applies
-- from now. A replay after its commit returns the upload unchanged.
-- Why definer: authenticated may not update data_uploads; membership and role are checked here.
create or replace function public.promote_upload(p_upload_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_upload public.data_uploads := metricdrop_private.upload_for_write(p_upload_id, true);
  v_client public.clients;
begin
  if v_upload.mode = 'COMMIT' and (select l.promoted_at from public.upload_ledger l where l.upload_id = p_upload_id) is not null then
    return to_jsonb(v_upload);
  end if;
  if v_upload.mode <> 'FULL_DRY_RUN' or v_upload.status <> 'staged' then
    perform metricdrop_private.refuse('UPLOAD_CONFLICT',
      case when v_upload.mode <> 'FULL_DRY_RUN' then 'Only a dry run can be committed this way; this upload already is a COMMIT upload.'
           else format('This dry run is %s; finish it before committing it.', v_upload.status) end);
  end if;

  perform metricdrop_private.lock_key('begin:' || v_upload.workspace_id::text);
  select * into v_client from public.clients c where c.id = v_upload.client_id;
  perform metricdrop_private.check_commit_rate(v_client,
    format('Try again later; the dry run is kept for %s.', metricdrop_private.duration_text(metricdrop_private.dry_run_retention())));

  delete from public.staging_id_resolution r where r.upload_id = p_upload_id;
  delete from public.upload_dimension_steps d where d.upload_id = p_upload_id;
  delete from public.upload_fact_batches f where f.upload_id = p_upload_id;
  update public.upload_ledger l set promoted_at = now() where l.upload_id = p_upload_id;
  update public.data_uploads u
  set mode = 'COMMIT',
      status = 'committing',
      summary = jsonb_build_object('dry_run', u.summary -> 'plan', 'promoted_at', now())
  where u.id = p_upload_id
  returning * into v_upload;
  return to_jsonb(v_upload);
end
$$;

-- Deletes the staging of uploads past upload_retention() and of dry runs past dry_run_retention(),
-- and expires those that had not finished (or, for dry runs, not been committed). p_now lets tests
-- and operators move the clock. Returns what it did.
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
  where (u.created_at < p_now - metricdrop_private.upload_retention()
         or (u.mode = 'FULL_DRY_RUN' and u.created_at < p_now - metricdrop_private.dry_run_retention()))
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

-- What the server has done for an upload; resume trusts this, never its own belief. Any member of
-- the upload's workspace may ask; anyone else gets UPLOAD_NOT_FOUND.
-- Why definer: one consistent answer assembled from the ledgers, with the membership check done here.
create or replace function public.upload_progress(p_upload_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_upload public.data_uploads := metricdrop_private.member_upload(p_upload_id);
begin
  return jsonb_build_object(
    'upload_id', v_upload.id,
    'status', v_upload.status,
    'mode', v_upload.mode,
    'row_count', v_upload.row_count,
    'staged_rows', (select count(*) from public.staging_rows s where s.upload_id = v_upload.id),
    'staged_batches', coalesce((select jsonb_agg(b.batch_no order by b.batch_no)
                                from public.upload_stage_batches b where b.upload_id = v_upload.id), '[]'::jsonb),
    'dimensions_done', coalesce((select jsonb_agg(d.entity_type order by metricdrop_private.entity_rank(d.entity_type))
                                 from public.upload_dimension_steps d where d.upload_id = v_upload.id), '[]'::jsonb),
    'fact_batches_done', coalesce((select jsonb_agg(f.batch_no order by f.batch_no)
                                   from public.upload_fact_batches f where f.upload_id = v_upload.id), '[]'::jsonb),
    'fact_batch_count', metricdrop_private.fact_batch_count(v_upload.row_count),
    'created_at', v_upload.created_at);
end
$$;

-- Before finish: records the column mapping the file was read with in summary.column_mapping.
-- Why definer: authenticated may not update data_uploads; the caller must be the uploader.
create or replace function public.note_upload_mapping(p_upload_id uuid, p_mapping jsonb)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_upload public.data_uploads := metricdrop_private.member_upload(p_upload_id, true);
begin
  if v_upload.uploaded_by <> metricdrop_private.caller() then
    perform metricdrop_private.refuse('NOT_AUTHORIZED', 'Only the member who began this upload can record how its columns were read.');
  end if;
  if p_mapping is null or jsonb_typeof(p_mapping) <> 'object'
     or jsonb_typeof(p_mapping -> 'fields') is distinct from 'object'
     or (p_mapping ->> 'platform') is distinct from v_upload.platform
     or octet_length(p_mapping::text) > metricdrop_private.max_mapping_bytes() then
    perform metricdrop_private.refuse('INVALID_INPUT',
      format('The column mapping must be an object with this upload''s platform and its fields (at most %s KB).',
             metricdrop_private.max_mapping_bytes() / 1024));
  end if;
  if v_upload.status <> all (metricdrop_private.active_upload_statuses()) then
    -- Replayed after its answer was lost, or too late (completed, failed, expired): the summary stays.
    return jsonb_build_object('id', v_upload.id, 'column_mapping', v_upload.summary -> 'column_mapping');
  end if;
  update public.data_uploads u
  set summary = u.summary || jsonb_build_object('column_mapping', p_mapping)
  where u.id = p_upload_id
  returning * into v_upload;
  return jsonb_build_object('id', v_upload.id, 'column_mapping', v_upload.summary -> 'column_mapping');
end
$$;

select metricdrop_private.record_migration('073', 'begin_and_limits_from_one_place');

-- =====================================================================================================
-- 009 Ingest, stage 1: begin_upload; and upload_progress, what the server says is done
-- =====================================================================================================

-- Creates the data_uploads row (status pending) after checking, in this order: signed in, arguments,
-- membership with a role that may upload, the client, then (under a per-workspace lock, so racing
-- begins are counted one at a time) the same id again, the kind of data, file size, row count,
-- currency, concurrent uploads of the workspace and COMMIT uploads of the client in the last hour.
-- Same id and same file again returns the existing upload (idempotent); same id for another file or
-- workspace is UPLOAD_CONFLICT. `previous`: the last completed COMMIT of the same file for the client.
-- Why definer: authenticated may not insert into data_uploads; this function checks membership and
-- role itself and is the only way in.
create function public.begin_upload(
  p_upload_id uuid,
  p_workspace_id uuid,
  p_client_id uuid,
  p_platform text,
  p_mode text,
  p_file_name text,
  p_file_sha256 text,
  p_file_bytes bigint,
  p_row_count integer,
  p_level text,
  p_currency text,
  p_kind text default 'daily_performance'
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  c_max_bytes constant bigint := 52428800;          -- 50 MiB
  c_max_rows constant integer := 100000;
  c_max_active constant integer := 3;
  c_max_commits_per_hour constant integer := 10;
  v_uid uuid := metricdrop_private.caller();
  v_client public.clients;
  v_upload public.data_uploads;
  v_active integer;
  v_recent integer;
  v_previous jsonb;
begin
  -- Arguments
  if p_upload_id is null or p_workspace_id is null or p_client_id is null then
    perform metricdrop_private.refuse('INVALID_INPUT', 'An upload id, a workspace and a client are required to begin an upload.');
  end if;
  if p_platform is null or p_platform not in ('meta', 'google', 'tiktok') then
    perform metricdrop_private.refuse('INVALID_INPUT',
      format('The platform must be meta, google or tiktok, not %s.', coalesce(p_platform, 'nothing')));
  end if;
  if p_mode is null or p_mode not in ('FULL_DRY_RUN', 'COMMIT') then
    perform metricdrop_private.refuse('INVALID_INPUT',
      format('The mode must be FULL_DRY_RUN or COMMIT, not %s.', coalesce(p_mode, 'nothing')));
  end if;
  if p_level is null or p_level not in ('campaign', 'ad_set', 'ad') then
    perform metricdrop_private.refuse('INVALID_INPUT',
      format('The level must be campaign, ad_set or ad, not %s.', coalesce(p_level, 'nothing')));
  end if;
  if p_file_name is null or length(p_file_name) not between 1 and 1024 then
    perform metricdrop_private.refuse('INVALID_INPUT', 'The file name must be 1 to 1024 characters.');
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

  -- Who
  perform metricdrop_private.require_role(p_workspace_id, 'member');
  select * into v_client from public.clients c where c.id = p_client_id and c.workspace_id = p_workspace_id;
  if v_client.id is null then
    perform metricdrop_private.refuse('CLIENT_NOT_FOUND',
      'This workspace has no such client. Choose one of the workspace''s clients, or ask an admin to add it.');
  end if;

  -- From here on, one begin per workspace at a time: the limits below count committed uploads only.
  perform metricdrop_private.lock_key('begin:' || p_workspace_id::text);

  -- Same id again: the answer of the first call, or a conflict.
  select * into v_upload from public.data_uploads u where u.id = p_upload_id;
  if v_upload.id is not null then
    if v_upload.workspace_id <> p_workspace_id or v_upload.client_id <> p_client_id
       or v_upload.file_sha256 <> p_file_sha256 or v_upload.uploaded_by <> v_uid or v_upload.mode <> p_mode then
      perform metricdrop_private.refuse('UPLOAD_CONFLICT',
        'This upload id is already used for another file, client or mode. Begin the upload with a new id.');
    end if;
  else
    if p_kind is distinct from 'daily_performance' then
      perform metricdrop_private.refuse('SCHEMA_INCOMPLETE',
        format('Only daily performance exports can be uploaded. The database has no tables for %s data yet; export the daily performance report instead.',
               coalesce(replace(p_kind, '_', ' '), 'this kind of')),
        jsonb_build_object('kind', p_kind));
    end if;
    if p_file_bytes > c_max_bytes then
      perform metricdrop_private.refuse('FILE_TOO_LARGE',
        format('The file is %s MB; one upload may be at most 50 MB. Export a shorter date range.',
               round(p_file_bytes / 1048576.0, 1)),
        jsonb_build_object('bytes', p_file_bytes, 'limit', c_max_bytes));
    end if;
    if p_row_count > c_max_rows then
      perform metricdrop_private.refuse('TOO_MANY_ROWS',
        format('The file has %s data rows; one upload may have at most 100,000. Export a shorter date range.', p_row_count),
        jsonb_build_object('rows', p_row_count, 'limit', c_max_rows));
    end if;
    if p_currency is not null and p_currency <> v_client.currency then
      perform metricdrop_private.refuse('CURRENCY_MISMATCH',
        format('The file is in %s but client "%s" reports in %s. Choose the client whose ad account the file comes from.',
               p_currency, v_client.name, v_client.currency),
        jsonb_build_object('file_currency', p_currency, 'client_currency', v_client.currency));
    end if;

    -- An upload past its retention (a dry run after 24 hours, anything after 7 days) can never go on
    -- (upload_for_write refuses it), so it holds no slot even before the cleanup marks it expired.
    select count(*) into v_active from public.data_uploads u
    where u.workspace_id = p_workspace_id and u.status in ('pending', 'staging', 'staged', 'committing')
      and u.created_at >= now() - interval '7 days'
      and not (u.mode = 'FULL_DRY_RUN' and u.created_at < now() - interval '24 hours');
    if v_active >= c_max_active then
      perform metricdrop_private.refuse('CONCURRENCY_LIMIT',
        format('This workspace already has %s uploads in progress (dry runs awaiting commit count too); at most 3 may run at once. Wait for one to finish, or cancel one, then try again.', v_active),
        jsonb_build_object('active', v_active, 'limit', c_max_active));
    end if;
    if p_mode = 'COMMIT' then
      v_recent := metricdrop_private.recent_commits(p_client_id);
      if v_recent >= c_max_commits_per_hour then
        perform metricdrop_private.refuse('RATE_LIMITED',
          format('Client "%s" already had %s uploads committed in the last hour; at most 10 per hour are allowed. Try again later.',
                 v_client.name, v_recent),
          jsonb_build_object('recent', v_recent, 'limit', c_max_commits_per_hour, 'window', '1 hour'));
      end if;
    end if;

    insert into public.data_uploads as u (id, workspace_id, client_id, platform, uploaded_by, file_name, file_sha256,
                                          mode, status, row_count)
    values (p_upload_id, p_workspace_id, p_client_id, p_platform, v_uid, p_file_name, p_file_sha256,
            p_mode, 'pending', p_row_count)
    on conflict (id) do nothing
    returning * into v_upload;
    if v_upload.id is null then
      -- The id exists in another workspace (whose lock we do not hold).
      perform metricdrop_private.refuse('UPLOAD_CONFLICT',
        'This upload id is already used for another file, client or mode. Begin the upload with a new id.');
    end if;
    insert into public.upload_ledger (upload_id, workspace_id, file_bytes, level, currency, kind)
    values (p_upload_id, p_workspace_id, p_file_bytes, p_level, p_currency, p_kind);
  end if;

  select jsonb_build_object('id', d.id, 'uploaded_by_email', au.email, 'created_at', d.created_at)
  into v_previous
  from public.data_uploads d
  left join auth.users au on au.id = d.uploaded_by
  where d.client_id = p_client_id and d.file_sha256 = p_file_sha256 and d.mode = 'COMMIT'
    and d.status = 'completed' and d.id <> p_upload_id
  order by d.created_at desc
  limit 1;

  return to_jsonb(v_upload) || jsonb_build_object('previous', v_previous);
end
$$;
revoke all on function public.begin_upload(uuid, uuid, uuid, text, text, text, text, bigint, integer, text, text, text)
  from public, anon, authenticated, service_role;
grant execute on function public.begin_upload(uuid, uuid, uuid, text, text, text, text, bigint, integer, text, text, text)
  to authenticated;

-- COMMIT uploads of a client begun (or promoted from a dry run) in the hour before now().
create function metricdrop_private.recent_commits(p_client_id uuid)
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
    and u.created_at > now() - interval '25 hours'
    and coalesce(l.promoted_at, u.created_at) > now() - interval '1 hour'
$$;
revoke all on function metricdrop_private.recent_commits(uuid) from public, anon, authenticated, service_role;

-- What the server has done for an upload; resume trusts this, never its own belief. Any member of
-- the upload's workspace may ask; anyone else gets UPLOAD_NOT_FOUND.
-- Why definer: one consistent answer assembled from the ledgers, with the membership check done here.
create function public.upload_progress(p_upload_id uuid)
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
    'fact_batch_count', (v_upload.row_count + 999) / 1000,
    'created_at', v_upload.created_at);
end
$$;
revoke all on function public.upload_progress(uuid) from public, anon, authenticated, service_role;
grant execute on function public.upload_progress(uuid) to authenticated;

insert into metricdrop_private.schema_versions (version, name) values ('009', 'ingest_begin');

-- =====================================================================================================
-- 013 Ingest, stage 5: finish_upload; fail_upload; promote_upload (a finished dry run -> COMMIT)
-- =====================================================================================================

-- Counts of one dimension stage, zeros when it did not run.
create function metricdrop_private.step_counts(p_upload_id uuid, p_entity_type text)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce((select jsonb_build_object('create', d.creates, 'update', d.updates, 'unchanged', d.unchanged)
                   from public.upload_dimension_steps d
                   where d.upload_id = p_upload_id and d.entity_type = p_entity_type),
                  jsonb_build_object('create', 0, 'update', 0, 'unchanged', 0))
$$;
-- The plan {campaigns, adSets, ads, facts}, each {create, update, unchanged}, from the ledgers.
create function metricdrop_private.upload_plan(p_upload_id uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'campaigns', metricdrop_private.step_counts(p_upload_id, 'campaign'),
    'adSets', metricdrop_private.step_counts(p_upload_id, 'ad_set'),
    'ads', metricdrop_private.step_counts(p_upload_id, 'ad'),
    'facts', (select jsonb_build_object('create', coalesce(sum(f.creates), 0)::integer,
                                        'update', coalesce(sum(f.updates), 0)::integer,
                                        'unchanged', coalesce(sum(f.unchanged), 0)::integer)
              from public.upload_fact_batches f where f.upload_id = p_upload_id))
$$;

revoke all on function metricdrop_private.upload_plan(uuid) from public, anon, authenticated, service_role;
revoke all on function metricdrop_private.step_counts(uuid, text) from public, anon, authenticated, service_role;

-- Checks that every stage is done (all rows staged, three entity types resolved, every fact batch
-- written), else UPLOAD_CONFLICT naming what is missing; writes the summary; status -> completed
-- (COMMIT) or staged (FULL_DRY_RUN). Returns the upload row plus the plan. A replay returns the same.
-- Why definer: authenticated may not update data_uploads; membership and role are checked here.
create function public.finish_upload(p_upload_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_upload public.data_uploads;
  v_staged integer;
  v_missing text[] := '{}';
  v_dims text[];
  v_batches integer[];
  v_plan jsonb;
begin
  v_upload := metricdrop_private.upload_for_write(p_upload_id, true);
  if v_upload.status = 'completed' or (v_upload.status = 'staged' and v_upload.mode = 'FULL_DRY_RUN') then
    return to_jsonb(v_upload) || jsonb_build_object('plan', v_upload.summary -> 'plan');
  end if;
  if v_upload.status not in ('pending', 'staging', 'committing') then
    perform metricdrop_private.refuse('UPLOAD_CONFLICT', format('This upload is %s and cannot be finished.', v_upload.status));
  end if;

  select count(*) into v_staged from public.staging_rows s where s.upload_id = p_upload_id;
  if v_staged < v_upload.row_count then
    v_missing := v_missing || format('%s of %s rows staged', v_staged, v_upload.row_count);
  end if;
  select array_agg(e order by metricdrop_private.entity_rank(e)) into v_dims
  from unnest(array['campaign', 'ad_set', 'ad']) e
  where not exists (select 1 from public.upload_dimension_steps d where d.upload_id = p_upload_id and d.entity_type = e);
  if v_dims is not null then
    v_missing := v_missing || ('dimensions not resolved: ' || array_to_string(v_dims, ', '));
  end if;
  select array_agg(k order by k) into v_batches
  from generate_series(0, (v_upload.row_count + 999) / 1000 - 1) k
  where not exists (select 1 from public.upload_fact_batches f where f.upload_id = p_upload_id and f.batch_no = k);
  if v_batches is not null then
    v_missing := v_missing || format('%s fact batch(es) not written (%s%s)', cardinality(v_batches),
                                     array_to_string(v_batches[1:10], ', '), case when cardinality(v_batches) > 10 then ', ...' else '' end);
  end if;
  if cardinality(v_missing) > 0 then
    perform metricdrop_private.refuse('UPLOAD_CONFLICT',
      format('The upload is not finished: %s. Resume it to complete the missing steps.', array_to_string(v_missing, '; ')),
      jsonb_build_object('staged_rows', v_staged, 'row_count', v_upload.row_count,
                         'dimensions_missing', coalesce(to_jsonb(v_dims), '[]'),
                         'fact_batches_missing', coalesce(to_jsonb(v_batches), '[]')));
  end if;

  v_plan := metricdrop_private.upload_plan(p_upload_id);
  update public.data_uploads u
  set status = case when u.mode = 'COMMIT' then 'completed' else 'staged' end,
      summary = u.summary || jsonb_build_object(
        'staged', v_staged,
        'plan', v_plan,
        'facts_written', case when u.mode = 'COMMIT'
                              then (v_plan #>> '{facts,create}')::integer + (v_plan #>> '{facts,update}')::integer
                              else 0 end,
        'warnings', coalesce(u.summary -> 'warnings', '[]'::jsonb),
        'finished_at', now())
  where u.id = p_upload_id
  returning * into v_upload;
  return to_jsonb(v_upload) || jsonb_build_object('plan', v_plan);
end
$$;
revoke all on function public.finish_upload(uuid) from public, anon, authenticated, service_role;
grant execute on function public.finish_upload(uuid) to authenticated;

-- Marks an upload failed with {code, message, stage} in summary.error. What earlier stages committed
-- stays. The uploader may fail their own upload; owners and admins may fail any upload of their
-- workspace (to free a slot held by an abandoned one). A second call keeps the first error.
-- Why definer: authenticated may not update data_uploads; membership and role are checked here.
create function public.fail_upload(p_upload_id uuid, p_code text, p_message text, p_stage text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_upload public.data_uploads := metricdrop_private.member_upload(p_upload_id, true);
begin
  if v_upload.uploaded_by <> metricdrop_private.caller()
     and metricdrop_private.role_rank(metricdrop_private.require_role(v_upload.workspace_id, 'viewer'))
         < metricdrop_private.role_rank('admin') then
    perform metricdrop_private.refuse('NOT_AUTHORIZED',
      'Another member began this upload; only they, or an owner or admin of the workspace, can mark it failed.');
  end if;
  if p_code is null or p_code !~ '^[A-Z][A-Z_]{1,39}$' then
    perform metricdrop_private.refuse('INVALID_INPUT',
      format('The failure code must be an error code such as INVALID_VALUE, not %s.', coalesce(p_code, 'nothing')));
  end if;
  if v_upload.status in ('failed', 'expired') then
    return to_jsonb(v_upload);
  end if;
  if v_upload.status = 'completed' then
    perform metricdrop_private.refuse('UPLOAD_CONFLICT', 'This upload already completed; it cannot be marked failed.');
  end if;
  update public.data_uploads u
  set status = 'failed',
      summary = u.summary || jsonb_build_object('error', jsonb_build_object(
        'code', p_code,
        'message', left(coalesce(p_message, ''), 2000),
        'stage', left(p_stage, 40)), 'failed_at', now())
  where u.id = p_upload_id
  returning * into v_upload;
  return to_jsonb(v_upload);
end
$$;
revoke all on function public.fail_upload(uuid, text, text, text) from public, anon, authenticated, service_role;
grant execute on function public.fail_upload(uuid, text, text, text) to authenticated;

-- Turns a finished (staged) dry run into a COMMIT upload of the same staged rows: the dry run's
-- resolutions and dimension/fact ledgers are cleared so the stages run again, this time writing.
-- UPLOAD_EXPIRED when the dry run is older than 24 hours or expired; the COMMIT rate limit applies
-- from now. A replay after its commit returns the upload unchanged.
-- Why definer: authenticated may not update data_uploads; membership and role are checked here.
create function public.promote_upload(p_upload_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  c_max_commits_per_hour constant integer := 10;
  v_upload public.data_uploads;
  v_promoted_at timestamptz;
  v_recent integer;
begin
  v_upload := metricdrop_private.upload_for_write(p_upload_id, true);
  select l.promoted_at into v_promoted_at from public.upload_ledger l where l.upload_id = p_upload_id;
  if v_upload.mode = 'COMMIT' and v_promoted_at is not null then
    return to_jsonb(v_upload);
  end if;
  if v_upload.mode <> 'FULL_DRY_RUN' or v_upload.status <> 'staged' then
    perform metricdrop_private.refuse('UPLOAD_CONFLICT',
      case when v_upload.mode <> 'FULL_DRY_RUN' then 'Only a dry run can be committed this way; this upload already is a COMMIT upload.'
           else format('This dry run is %s; finish it before committing it.', v_upload.status) end);
  end if;

  perform metricdrop_private.lock_key('begin:' || v_upload.workspace_id::text);
  v_recent := metricdrop_private.recent_commits(v_upload.client_id);
  if v_recent >= c_max_commits_per_hour then
    perform metricdrop_private.refuse('RATE_LIMITED',
      format('Client "%s" already had %s uploads committed in the last hour; at most 10 per hour are allowed. Try again later; the dry run is kept for 24 hours.',
             (select c.name from public.clients c where c.id = v_upload.client_id), v_recent),
      jsonb_build_object('recent', v_recent, 'limit', c_max_commits_per_hour, 'window', '1 hour'));
  end if;

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
revoke all on function public.promote_upload(uuid) from public, anon, authenticated, service_role;
grant execute on function public.promote_upload(uuid) to authenticated;

insert into metricdrop_private.schema_versions (version, name) values ('013', 'ingest_finish');

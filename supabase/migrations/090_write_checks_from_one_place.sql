-- =====================================================================================================
-- 090 The write checks and the finish ask 070 for their numbers and lists
--
-- upload_for_write() (007) still wrote out the active statuses and the two retentions (24 hours for
-- a dry run, 7 days for any upload) in its UPLOAD_EXPIRED refusals, and finish_upload() (013) the
-- three entity types and the fact batch arithmetic (1,000 rows a batch). Both now ask 070's
-- functions, so a change of a retention or of the batch size is one `create or replace` again, and
-- the refusals' sentences and details follow it. Same order of checks, same codes, same words.
-- =====================================================================================================

create or replace function metricdrop_private.upload_for_write(p_upload_id uuid, p_lock boolean default false)
returns public.data_uploads
language plpgsql
set search_path = ''
as $$
declare
  v_upload public.data_uploads := metricdrop_private.member_upload(p_upload_id, p_lock);
  v_hours constant integer := extract(epoch from metricdrop_private.dry_run_retention())::integer / 3600;
  v_days constant integer := extract(epoch from metricdrop_private.upload_retention())::integer / 86400;
begin
  perform metricdrop_private.require_role(v_upload.workspace_id, 'member');
  if v_upload.uploaded_by <> metricdrop_private.caller() then
    perform metricdrop_private.refuse('NOT_AUTHORIZED',
      'Another member of the workspace began this upload; only they can continue it. Start your own upload of the file instead.');
  end if;
  if v_upload.status = 'failed' then
    perform metricdrop_private.refuse('UPLOAD_CONFLICT',
      format('This upload failed (%s) and cannot continue. Upload the file again as a new upload.',
             coalesce(v_upload.summary #>> '{error,code}', 'no reason given')));
  end if;
  if v_upload.status = 'expired' then
    perform metricdrop_private.refuse('UPLOAD_EXPIRED',
      'This upload expired and its staged rows were deleted. Upload the file again.');
  end if;
  if v_upload.status = any (metricdrop_private.active_upload_statuses()) then
    if v_upload.mode = 'FULL_DRY_RUN' and v_upload.created_at < now() - metricdrop_private.dry_run_retention() then
      perform metricdrop_private.refuse('UPLOAD_EXPIRED',
        format('This dry run is older than %s hours, so its staged rows are no longer kept. Run the dry run again.', v_hours),
        jsonb_build_object('created_at', v_upload.created_at, 'retention_hours', v_hours));
    end if;
    if v_upload.created_at < now() - metricdrop_private.upload_retention() then
      perform metricdrop_private.refuse('UPLOAD_EXPIRED',
        format('This upload began more than %s days ago, so its staged rows are no longer kept. Upload the file again.', v_days),
        jsonb_build_object('created_at', v_upload.created_at, 'retention_days', v_days));
    end if;
  end if;
  return v_upload;
end
$$;

create or replace function public.finish_upload(p_upload_id uuid)
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
  from unnest(metricdrop_private.entity_types()) e
  where not exists (select 1 from public.upload_dimension_steps d where d.upload_id = p_upload_id and d.entity_type = e);
  if v_dims is not null then
    v_missing := v_missing || ('dimensions not resolved: ' || array_to_string(v_dims, ', '));
  end if;
  select array_agg(k order by k) into v_batches
  from generate_series(0, metricdrop_private.fact_batch_count(v_upload.row_count) - 1) k
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

select metricdrop_private.record_migration('090', 'write_checks_from_one_place');

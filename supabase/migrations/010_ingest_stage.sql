-- =====================================================================================================
-- 010 Ingest, stage 2: stage_rows
-- =====================================================================================================

-- Stores one batch of canonical rows (at most 5,000) in staging_rows and records the batch. Every
-- payload is checked here (a modified app could send anything): the first bad row refuses the whole
-- batch with INVALID_VALUE (or CURRENCY_MISMATCH) naming its row number and field, and nothing of
-- the batch is stored. A batch sent again after its commit returns the recorded answer; the same
-- batch number with other rows is UPLOAD_CONFLICT. Status pending -> staging.
-- Why definer: authenticated may not insert into staging_rows; membership and role are checked here.
create function public.stage_rows(p_upload_id uuid, p_batch_no integer, p_rows jsonb)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  c_max_batch constant integer := 5000;
  v_upload public.data_uploads;
  v_ledger public.upload_ledger;
  v_client_currency text;
  v_batch public.upload_stage_batches;
  v_count integer;
  v_bad record;
  v_dup integer;
  v_inserted integer;
  v_first integer;
  v_last integer;
  v_total integer;
begin
  v_upload := metricdrop_private.upload_for_write(p_upload_id);
  if p_batch_no is null or p_batch_no < 0 then
    perform metricdrop_private.refuse('INVALID_INPUT', 'The batch number must be 0 or more.');
  end if;
  if p_rows is null or jsonb_typeof(p_rows) <> 'array' then
    perform metricdrop_private.refuse('INVALID_INPUT', 'The rows must be a JSON array of {row_number, payload} objects.');
  end if;
  v_count := jsonb_array_length(p_rows);
  if v_count = 0 or v_count > c_max_batch then
    perform metricdrop_private.refuse('INVALID_INPUT',
      format('A batch holds 1 to 5,000 rows; batch %s has %s. Send the rows in smaller batches.', p_batch_no, v_count),
      jsonb_build_object('rows', v_count, 'limit', c_max_batch));
  end if;

  -- A replay of this batch waits for the first call to end, then sees its ledger row.
  perform metricdrop_private.lock_key('stage:' || p_upload_id::text || ':' || p_batch_no::text);
  select * into v_batch from public.upload_stage_batches b where b.upload_id = p_upload_id and b.batch_no = p_batch_no;
  if v_batch.upload_id is not null then
    -- The same batch again: every row must be staged with the same values.
    if v_batch.row_count <> v_count or (v_upload.status in ('pending', 'staging', 'staged', 'committing') and exists (
         select 1
         from jsonb_array_elements(p_rows) e
         left join public.staging_rows s
           on s.upload_id = p_upload_id
          and s.row_number = case when (e ->> 'row_number') ~ '^[1-9][0-9]{0,8}$' then (e ->> 'row_number')::integer end
         where s.payload is distinct from e -> 'payload')) then
      perform metricdrop_private.refuse('UPLOAD_CONFLICT',
        format('Batch %s of this upload was already staged with different rows. Resume the upload from the same file, or begin a new upload.', p_batch_no));
    end if;
    return jsonb_build_object('batch_no', p_batch_no, 'staged', v_batch.row_count, 'total_staged', v_batch.total_staged);
  end if;
  if v_upload.status not in ('pending', 'staging') then
    perform metricdrop_private.refuse('UPLOAD_CONFLICT',
      format('This upload is %s: its rows can no longer be changed. Begin a new upload to send other rows.', v_upload.status));
  end if;

  -- Check every row before storing any.
  select * into v_ledger from public.upload_ledger l where l.upload_id = p_upload_id;
  select c.currency into v_client_currency from public.clients c where c.id = v_upload.client_id;
  select * into v_bad from metricdrop_private.first_row_problem(p_rows, v_ledger.level, v_client_currency);
  if v_bad.item is not null then
    perform metricdrop_private.refuse(v_bad.code,
      case when v_bad.row_number is null
           then format('Item %s of batch %s: %s %s.', v_bad.item, p_batch_no, coalesce(v_bad.field, 'the item'), v_bad.problem)
           else format('Row %s: %s %s.', v_bad.row_number, coalesce(v_bad.field, 'the row'), v_bad.problem) end,
      jsonb_build_object('row', v_bad.row_number, 'column', v_bad.field, 'batch_no', p_batch_no));
  end if;
  -- Store the rows: a plain insert, as the rows of a new batch are new (ON CONFLICT DO NOTHING on
  -- every row cost a sixth of the insert), which also gives back their row numbers' range. A unique
  -- violation undoes it: either a row is twice in the batch (refused) or some rows were staged by
  -- another batch (then only the others are inserted).
  begin
    with ins as (
      insert into public.staging_rows (workspace_id, upload_id, row_number, payload)
      select v_upload.workspace_id, p_upload_id, (e ->> 'row_number')::integer, e -> 'payload'
      from jsonb_array_elements(p_rows) e
      returning staging_rows.row_number)
    select count(*), min(ins.row_number), max(ins.row_number) into v_inserted, v_first, v_last from ins;
  exception when unique_violation then
    select (e ->> 'row_number')::integer into v_dup
    from jsonb_array_elements(p_rows) e
    group by 1 having count(*) > 1
    order by 1 limit 1;
    if v_dup is not null then
      perform metricdrop_private.refuse('INVALID_VALUE',
        format('Row %s appears twice in batch %s. Send each row once.', v_dup, p_batch_no),
        jsonb_build_object('row', v_dup, 'batch_no', p_batch_no));
    end if;
    insert into public.staging_rows (workspace_id, upload_id, row_number, payload)
    select v_upload.workspace_id, p_upload_id, (e ->> 'row_number')::integer, e -> 'payload'
    from jsonb_array_elements(p_rows) e
    on conflict (upload_id, row_number) do nothing;
    get diagnostics v_inserted = row_count;
    select min((e ->> 'row_number')::integer), max((e ->> 'row_number')::integer) into v_first, v_last
    from jsonb_array_elements(p_rows) e;
  end;

  if v_inserted < v_count then
    -- Some rows were staged by another batch: allowed only when they are the same rows.
    select (e ->> 'row_number')::integer into v_dup
    from jsonb_array_elements(p_rows) e
    join public.staging_rows s on s.upload_id = p_upload_id and s.row_number = (e ->> 'row_number')::integer
    where s.payload <> e -> 'payload'
    order by 1 limit 1;
    if v_dup is not null then
      perform metricdrop_private.refuse('UPLOAD_CONFLICT',
        format('Row %s was already staged by another batch with different values. Resume the upload from the same file, or begin a new upload.', v_dup),
        jsonb_build_object('row', v_dup, 'batch_no', p_batch_no));
    end if;
  end if;

  -- Batches of one upload may be sent side by side. Each counts the upload's rows while holding the
  -- upload row until it commits, so two batches can never each pass the count and together stage
  -- more rows than were announced (and so more than 100,000).
  perform from public.data_uploads u where u.id = p_upload_id for no key update;
  v_total := v_inserted + coalesce((select sum(b.row_count) from public.upload_stage_batches b where b.upload_id = p_upload_id), 0);
  if v_total > v_upload.row_count then
    select count(*) into v_total from public.staging_rows s where s.upload_id = p_upload_id;
    if v_total > v_upload.row_count then
      perform metricdrop_private.refuse('INVALID_INPUT',
        format('This batch would bring the upload to %s rows, more than the %s announced when it began. Begin a new upload with the right row count.',
               v_total, v_upload.row_count),
        jsonb_build_object('staged', v_total, 'row_count', v_upload.row_count));
    end if;
  end if;

  insert into public.upload_stage_batches (upload_id, batch_no, workspace_id, row_count, first_row, last_row, total_staged)
  values (p_upload_id, p_batch_no, v_upload.workspace_id, v_count, v_first, v_last, v_total);
  update public.data_uploads u set status = 'staging' where u.id = p_upload_id and u.status = 'pending';

  return jsonb_build_object('batch_no', p_batch_no, 'staged', v_count, 'total_staged', v_total);
end
$$;
revoke all on function public.stage_rows(uuid, integer, jsonb) from public, anon, authenticated, service_role;
grant execute on function public.stage_rows(uuid, integer, jsonb) to authenticated;

insert into metricdrop_private.schema_versions (version, name) values ('010', 'ingest_stage');

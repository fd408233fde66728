-- =====================================================================================================
-- 031 Fact batches are fixed by the first write_facts of an upload, no longer by resolve_dimensions
--
-- Fact batch k = staged rows k*1000 ... k*1000+999 in row-number order. The first row number of each
-- batch is computed once, when the first fact batch is written (every row is staged by then:
-- campaigns are resolved only then), and kept in upload_ledger.fact_batch_starts. Calls in flight
-- side by side compute the same array; the ledger row's lock orders their writes.
-- =====================================================================================================

-- The first row number of each fact batch of an upload, fixed on first use.
create function metricdrop_private.fact_batch_starts(p_upload_id uuid)
returns integer[]
language plpgsql
set search_path = ''
as $$
declare
  v_starts integer[];
begin
  select l.fact_batch_starts into v_starts from public.upload_ledger l where l.upload_id = p_upload_id;
  if v_starts is not null then
    return v_starts;
  end if;
  select coalesce(array_agg(n.row_number order by n.row_number) filter (where n.i % 1000 = 0), '{}')
  into v_starts
  from (select s.row_number, row_number() over (order by s.row_number) - 1 as i
        from public.staging_rows s where s.upload_id = p_upload_id) n;
  update public.upload_ledger l set fact_batch_starts = v_starts where l.upload_id = p_upload_id;
  return v_starts;
end
$$;
revoke all on function metricdrop_private.fact_batch_starts(uuid) from public, anon, authenticated, service_role;

-- Fact batch p_batch_no = staged rows p_batch_no*1000 ... +999 in row-number order, joined to the
-- upload's id resolution. COMMIT: one upsert into daily_metrics; a row whose values did not change
-- is not rewritten (and keeps the upload that last wrote it). FULL_DRY_RUN: counts what would be
-- created, updated or left unchanged, writing nothing. Recorded in upload_fact_batches in the same
-- transaction; a replay returns the recorded counts and writes nothing.
-- Why definer: authenticated may not write daily_metrics; membership and role are checked here.
create or replace function public.write_facts(p_upload_id uuid, p_batch_no integer)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_upload public.data_uploads;
  v_batches integer;
  v_done public.upload_fact_batches;
  v_starts integer[];
  v_from integer;
  v_to integer;
  v_create integer;
  v_update integer;
  v_unchanged integer;
  v_total integer;
begin
  v_upload := metricdrop_private.upload_for_write(p_upload_id);
  v_batches := (v_upload.row_count + 999) / 1000;
  if p_batch_no is null or p_batch_no < 0 or p_batch_no >= v_batches then
    perform metricdrop_private.refuse('INVALID_INPUT',
      format('There is no fact batch %s: this upload of %s rows has %s fact batches, numbered from 0.',
             coalesce(p_batch_no::text, '(none)'), v_upload.row_count, v_batches));
  end if;

  -- A replay of this batch waits for the first call to end, then sees its ledger row.
  perform metricdrop_private.lock_key('facts:' || p_upload_id::text || ':' || p_batch_no::text);
  select * into v_done from public.upload_fact_batches f where f.upload_id = p_upload_id and f.batch_no = p_batch_no;
  if v_done.upload_id is not null then
    return jsonb_build_object('batch_no', p_batch_no, 'create', v_done.creates, 'update', v_done.updates,
                              'unchanged', v_done.unchanged);
  end if;
  if v_upload.status not in ('staging', 'committing') then
    perform metricdrop_private.refuse('UPLOAD_CONFLICT',
      format('This upload is %s: its facts can no longer be written.', v_upload.status));
  end if;
  if (select count(*) from public.upload_dimension_steps d where d.upload_id = p_upload_id) < 3 then
    perform metricdrop_private.refuse('UPLOAD_CONFLICT',
      'Resolve campaigns, ad sets and ads before writing facts.',
      jsonb_build_object('dimensions_done',
        coalesce((select jsonb_agg(d.entity_type) from public.upload_dimension_steps d where d.upload_id = p_upload_id), '[]')));
  end if;
  v_starts := metricdrop_private.fact_batch_starts(p_upload_id);
  v_from := v_starts[p_batch_no + 1];
  v_to := coalesce(v_starts[p_batch_no + 2], 2147483647); -- an upper bound keeps the index range tight in a cached plan

  -- Both statements below run through EXECUTE, so each call plans them for its own upload and batch
  -- (a cached generic plan, blind to how many rows the upload has, once turned a 5 ms fact batch
  -- into seconds). Not plan_cache_mode = force_custom_plan on the function: that also re-plans the
  -- foreign-key check the database runs for every written row, four per fact, and doubled the cost
  -- of a batch. $1 workspace, $2 client, $3 platform, $4 upload, $5/$6 the batch's row numbers.
  if v_upload.mode = 'COMMIT' then
    execute
     'with up as (
        insert into public.daily_metrics as d (workspace_id, client_id, platform, date, campaign_id, ad_set_id, ad_id,
                                               impressions, clicks, spend, conversions, conversion_value, upload_id)
        select $1, $2, $3, b.date, b.campaign_id, b.ad_set_id, b.ad_id,
               b.impressions, b.clicks, b.spend, b.conversions, b.conversion_value, $4
        from metricdrop_private.fact_batch_rows($4, $5, $6) b
        on conflict on constraint daily_metrics_grain
        do update set impressions = excluded.impressions, clicks = excluded.clicks, spend = excluded.spend,
                      conversions = excluded.conversions, conversion_value = excluded.conversion_value,
                      upload_id = excluded.upload_id
        where (d.impressions, d.clicks, d.spend, d.conversions, d.conversion_value)
              is distinct from (excluded.impressions, excluded.clicks, excluded.spend, excluded.conversions, excluded.conversion_value)
        returning (d.xmax = 0) as inserted
      )
      select count(*) filter (where up.inserted), count(*) filter (where not up.inserted)
      from up'
    into v_create, v_update
    using v_upload.workspace_id, v_upload.client_id, v_upload.platform, p_upload_id, v_from, v_to;
    v_total := least(1000, v_upload.row_count - p_batch_no * 1000);
  else
    -- The lookup is split by which ids are null so each branch uses the grain index fully.
    execute
     'with compared as (
        select b.*, cur.found,
               (cur.impressions, cur.clicks, cur.spend, cur.conversions, cur.conversion_value)
                 is distinct from (b.impressions, b.clicks, b.spend, b.conversions, b.conversion_value) as differs
        from metricdrop_private.fact_batch_rows($4, $5, $6) b
        left join lateral (
          select true as found, d.impressions, d.clicks, d.spend, d.conversions, d.conversion_value
          from public.daily_metrics d
          where b.has_ad and d.workspace_id = $1 and d.client_id = $2
            and d.platform = $3 and d.date = b.date and d.campaign_id = b.campaign_id
            and d.ad_set_id = b.ad_set_id and d.ad_id = b.ad_id
          union all
          select true, d.impressions, d.clicks, d.spend, d.conversions, d.conversion_value
          from public.daily_metrics d
          where b.has_ad_set and not b.has_ad and d.workspace_id = $1 and d.client_id = $2
            and d.platform = $3 and d.date = b.date and d.campaign_id = b.campaign_id
            and d.ad_set_id = b.ad_set_id and d.ad_id is null
          union all
          select true, d.impressions, d.clicks, d.spend, d.conversions, d.conversion_value
          from public.daily_metrics d
          where not b.has_ad_set and d.workspace_id = $1 and d.client_id = $2
            and d.platform = $3 and d.date = b.date and d.campaign_id = b.campaign_id
            and d.ad_set_id is null and d.ad_id is null
        ) cur on true
      )
      select count(*) filter (where c.found is null), count(*) filter (where c.found and c.differs), count(*)
      from compared c'
    into v_create, v_update, v_total
    using v_upload.workspace_id, v_upload.client_id, v_upload.platform, p_upload_id, v_from, v_to;
  end if;
  v_unchanged := v_total - v_create - v_update;

  insert into public.upload_fact_batches (upload_id, batch_no, workspace_id, creates, updates, unchanged)
  values (p_upload_id, p_batch_no, v_upload.workspace_id, v_create, v_update, v_unchanged);

  return jsonb_build_object('batch_no', p_batch_no, 'create', v_create, 'update', v_update, 'unchanged', v_unchanged);
end
$$;
revoke all on function public.write_facts(uuid, integer) from public, anon, authenticated, service_role;
grant execute on function public.write_facts(uuid, integer) to authenticated;

insert into metricdrop_private.schema_versions (version, name) values ('031', 'fact_batches_fixed_by_facts');

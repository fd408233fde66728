-- =====================================================================================================
-- 081 write_facts reads each staged payload once, in its own statement
--
-- fact_batch_rows took every field out of the payload with its own ->> (nine per row, each a search
-- of the object and a copy), and, being a function with its own settings, ran as a separate plan
-- whose rows were collected before the upsert read them. The same SELECT, with jsonb_to_record
-- taking every field in one pass (the same casts), is now written into write_facts' statements
-- (fact_rows_sql): a fact batch's rows cost about a third of what they did. The ids are still
-- looked up one staged row at a time (see 012).
-- =====================================================================================================

-- The SELECT of one fact batch's typed rows, for write_facts' statements: $4 upload, $5/$6 the
-- batch's row numbers (p_from <= n < p_to). Columns as fact_batch_rows.
create function metricdrop_private.fact_rows_sql()
returns text
language sql
immutable
set search_path = ''
as $$
  select 'select p.date,
            (select r.resolved_id from public.staging_id_resolution r
             where r.upload_id = s.upload_id and r.entity_type = ''campaign'' and r.external_id = p.campaign_external_id) as campaign_id,
            (select r.resolved_id from public.staging_id_resolution r
             where r.upload_id = s.upload_id and r.entity_type = ''ad_set'' and r.external_id = p.ad_set_external_id) as ad_set_id,
            (select r.resolved_id from public.staging_id_resolution r
             where r.upload_id = s.upload_id and r.entity_type = ''ad'' and r.external_id = p.ad_external_id) as ad_id,
            -- staging_rows keeps only checked payloads: an ad set or ad id, when there, is text
            p.ad_set_external_id is not null as has_ad_set, p.ad_external_id is not null as has_ad,
            p.impressions, p.clicks, p.spend, p.conversions, p.conversion_value
     from public.staging_rows s
     cross join lateral pg_catalog.jsonb_to_record(s.payload) as p(date date, campaign_external_id text,
       ad_set_external_id text, ad_external_id text, impressions bigint, clicks bigint, spend numeric,
       conversions numeric, conversion_value numeric)
     where s.upload_id = $4 and s.row_number >= $5 and s.row_number < $6'
$$;
revoke all on function metricdrop_private.fact_rows_sql() from public, anon, authenticated, service_role;

-- COMMIT: one fact batch upserted into daily_metrics; a row whose values did not change is not
-- rewritten (and keeps the upload that last wrote it). Returns how many rows were created and
-- updated. Run through EXECUTE, so each call plans it for its own upload and batch (a cached
-- generic plan, blind to how many rows the upload has, once turned a 5 ms fact batch into seconds).
-- Not plan_cache_mode = force_custom_plan: that also re-plans the foreign-key check run for every
-- written row, four per fact, and doubled the cost of a batch.
create function metricdrop_private.upsert_fact_batch(p_upload public.data_uploads, p_from integer, p_to integer,
                                                     out creates integer, out updates integer)
language plpgsql
set search_path = ''
as $$
begin
  execute format(
   'with up as (
      insert into public.daily_metrics as d (workspace_id, client_id, platform, date, campaign_id, ad_set_id, ad_id,
                                             impressions, clicks, spend, conversions, conversion_value, upload_id)
      select $1, $2, $3, b.date, b.campaign_id, b.ad_set_id, b.ad_id,
             b.impressions, b.clicks, b.spend, b.conversions, b.conversion_value, $4
      from (%s) b
      on conflict on constraint daily_metrics_grain
      do update set impressions = excluded.impressions, clicks = excluded.clicks, spend = excluded.spend,
                    conversions = excluded.conversions, conversion_value = excluded.conversion_value,
                    upload_id = excluded.upload_id
      where (d.impressions, d.clicks, d.spend, d.conversions, d.conversion_value)
            is distinct from (excluded.impressions, excluded.clicks, excluded.spend, excluded.conversions, excluded.conversion_value)
      returning (d.xmax = 0) as inserted)
    select count(*) filter (where up.inserted), count(*) filter (where not up.inserted) from up',
    metricdrop_private.fact_rows_sql())
  into creates, updates
  using p_upload.workspace_id, p_upload.client_id, p_upload.platform, p_upload.id, p_from, p_to;
end
$$;
revoke all on function metricdrop_private.upsert_fact_batch(public.data_uploads, integer, integer)
  from public, anon, authenticated, service_role;

-- FULL_DRY_RUN: what one fact batch would create and update, and its rows, writing nothing. The
-- lookup is split by which ids are null so each branch uses the grain index fully.
create function metricdrop_private.compare_fact_batch(p_upload public.data_uploads, p_from integer, p_to integer,
                                                      out creates integer, out updates integer, out total integer)
language plpgsql
set search_path = ''
as $$
begin
  execute format(
   'with compared as (
      select b.*, cur.found,
             (cur.impressions, cur.clicks, cur.spend, cur.conversions, cur.conversion_value)
               is distinct from (b.impressions, b.clicks, b.spend, b.conversions, b.conversion_value) as differs
      from (%s) b
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
      ) cur on true)
    select count(*) filter (where c.found is null), count(*) filter (where c.found and c.differs), count(*)
    from compared c',
    metricdrop_private.fact_rows_sql())
  into creates, updates, total
  using p_upload.workspace_id, p_upload.client_id, p_upload.platform, p_upload.id, p_from, p_to;
end
$$;
revoke all on function metricdrop_private.compare_fact_batch(public.data_uploads, integer, integer)
  from public, anon, authenticated, service_role;

-- write_facts as in 031, its statements in upsert_fact_batch and compare_fact_batch.
create or replace function public.write_facts(p_upload_id uuid, p_batch_no integer)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_upload public.data_uploads := metricdrop_private.upload_for_write(p_upload_id);
  v_batches integer := metricdrop_private.fact_batch_count(v_upload.row_count);
  v_done public.upload_fact_batches;
  v_starts integer[];
  v_counts record;
  v_total integer;
begin
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
  if v_upload.mode = 'COMMIT' then
    -- an upper bound keeps the index range tight
    select c.creates, c.updates, least(metricdrop_private.fact_batch_size(), v_upload.row_count - p_batch_no * metricdrop_private.fact_batch_size()) as total into v_counts
    from metricdrop_private.upsert_fact_batch(v_upload, v_starts[p_batch_no + 1], coalesce(v_starts[p_batch_no + 2], 2147483647)) c;
  else
    select * into v_counts
    from metricdrop_private.compare_fact_batch(v_upload, v_starts[p_batch_no + 1], coalesce(v_starts[p_batch_no + 2], 2147483647)) c;
  end if;
  v_total := v_counts.total;

  insert into public.upload_fact_batches (upload_id, batch_no, workspace_id, creates, updates, unchanged)
  values (p_upload_id, p_batch_no, v_upload.workspace_id, v_counts.creates, v_counts.updates, v_total - v_counts.creates - v_counts.updates);
  return jsonb_build_object('batch_no', p_batch_no, 'create', v_counts.creates, 'update', v_counts.updates,
                            'unchanged', v_total - v_counts.creates - v_counts.updates);
end
$$;

-- The first row number of each fact batch of an upload, fixed on first use (031), batches of 070's size.
create or replace function metricdrop_private.fact_batch_starts(p_upload_id uuid)
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
  select coalesce(array_agg(n.row_number order by n.row_number) filter (where n.i % metricdrop_private.fact_batch_size() = 0), '{}')
  into v_starts
  from (select s.row_number, row_number() over (order by s.row_number) - 1 as i
        from public.staging_rows s where s.upload_id = p_upload_id) n;
  update public.upload_ledger l set fact_batch_starts = v_starts where l.upload_id = p_upload_id;
  return v_starts;
end
$$;

-- Read by nothing now: its SELECT is fact_rows_sql.
drop function metricdrop_private.fact_batch_rows(uuid, integer, integer);

select metricdrop_private.record_migration('081', 'fact_rows_read_once');

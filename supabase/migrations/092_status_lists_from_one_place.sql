-- =====================================================================================================
-- 092 The remaining status lists, the row-number pattern and the batch limit's grouping asked of
-- 070 and 091
--
-- After 091 some functions still wrote out a list or a rule that has its function: stage_batch's
-- steps the statuses that take stage batches (stage_packed_rows), the row-number pattern
-- (packed_lines, expand_packed_batch) and the batch limit grouped as 'FM999,999'
-- (check_packed_batch; stage_rows groups it with thousands() since 091), recorded_dimension_step
-- the entity types in its check and its sentence, and write_facts the number of entity types.
-- write_facts wrote the statuses in which facts may be written, and finish_upload and
-- check_dimension_order the statuses of an upload not finished yet, lists that had no function:
-- they have one now, in 070's style. Same checks in the same order, same codes, same sentences;
-- test/db/catalog.test.ts now fails when a function's current definition writes out one of these
-- value lists instead of asking for it.
-- =====================================================================================================

-- The statuses of an upload whose facts may be written (write_facts): staging (a dry run after its
-- dimensions, which leave it staging) and committing (a COMMIT upload after its campaigns).
create function metricdrop_private.fact_writing_upload_statuses() returns text[]
language sql immutable set search_path = '' as $$ select array['staging', 'committing'] $$;

-- The statuses of an upload that has not finished its stages: its dimensions may still be resolved
-- and it may still be finished (active_upload_statuses() but staged, a dry run that finished).
create function metricdrop_private.unfinished_upload_statuses() returns text[]
language sql immutable set search_path = '' as $$ select array['pending', 'staging', 'committing'] $$;

revoke all on function metricdrop_private.fact_writing_upload_statuses(), metricdrop_private.unfinished_upload_statuses()
  from public, anon, authenticated, service_role;

-- =====================================================================================================
-- stage_batch's steps (080, 082)
-- =====================================================================================================

-- check_packed_batch as in 080, the batch limit in its sentence grouped by thousands(), as
-- stage_rows' (091): '5,000' as before, and right for a limit of a million too.
create or replace function metricdrop_private.check_packed_batch(p_batch jsonb, p_batch_no integer)
returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  v_rows_text text;
  v_lines integer;
  v_bad text;
begin
  if p_batch is null or jsonb_typeof(p_batch) <> 'object'
     or jsonb_typeof(p_batch -> 'rows') is distinct from 'string'
     or jsonb_typeof(p_batch -> 'campaigns') is distinct from 'array'
     or jsonb_typeof(p_batch -> 'dates') is distinct from 'array'
     or coalesce(jsonb_typeof(p_batch -> 'ad_sets'), 'array') <> 'array'
     or coalesce(jsonb_typeof(p_batch -> 'ads'), 'array') <> 'array'
     or coalesce(jsonb_typeof(p_batch -> 'currencies'), 'array') <> 'array'
     or (p_batch - array['campaigns', 'ad_sets', 'ads', 'dates', 'currencies', 'rows']) <> '{}'::jsonb then
    perform metricdrop_private.refuse('INVALID_INPUT',
      format('Batch %s is not a packed batch: it needs "campaigns" and "dates" arrays, a "rows" text, and at most "ad_sets", "ads" and "currencies" besides.', p_batch_no));
  end if;
  v_rows_text := p_batch ->> 'rows';
  v_lines := case when v_rows_text = '' then 0 else length(v_rows_text) - length(replace(v_rows_text, ';', '')) + 1 end;
  if v_lines = 0 or v_lines > metricdrop_private.max_stage_batch_rows() then
    perform metricdrop_private.refuse('INVALID_INPUT',
      format('A batch holds 1 to %s rows; batch %s has %s. Send the rows in smaller batches.',
             metricdrop_private.thousands(metricdrop_private.max_stage_batch_rows()), p_batch_no, v_lines),
      jsonb_build_object('rows', v_lines, 'limit', metricdrop_private.max_stage_batch_rows()));
  end if;
  -- The first malformed entity, date or currency, named by where it is.
  select x.what into v_bad
  from (
    select 1 as k, t.o as o, format('%s entry %s must be [id, name%s]', l.list, t.o - 1,
                                   case l.list when 'campaigns' then '' else ', parent index' end) as what
    from (values ('campaigns', null::text), ('ad_sets', 'campaigns'), ('ads', 'ad_sets')) l(list, parent)
    cross join lateral jsonb_array_elements(coalesce(p_batch -> l.list, '[]')) with ordinality t(e, o)
    where case when jsonb_typeof(t.e) is distinct from 'array' then true
               else jsonb_typeof(t.e -> 0) is distinct from 'string' or jsonb_typeof(t.e -> 1) is distinct from 'string'
                    or jsonb_array_length(t.e) <> case when l.parent is null then 2 else 3 end
                    or (l.parent is not null and not metricdrop_private.is_index(t.e -> 2, jsonb_array_length(coalesce(p_batch -> l.parent, '[]'))))
          end
    union all
    select 2, t.o, format('dates entry %s must be text', t.o - 1)
    from jsonb_array_elements(p_batch -> 'dates') with ordinality t(e, o)
    where jsonb_typeof(t.e) <> 'string'
    union all
    select 3, t.o, format('currencies entry %s must be text', t.o - 1)
    from jsonb_array_elements(coalesce(p_batch -> 'currencies', '[]')) with ordinality t(e, o)
    where jsonb_typeof(t.e) <> 'string') x
  order by x.k, x.o
  limit 1;
  if v_bad is not null then
    perform metricdrop_private.refuse('INVALID_INPUT', format('Batch %s: %s.', p_batch_no, v_bad),
      jsonb_build_object('batch_no', p_batch_no));
  end if;
  return case when jsonb_array_length(coalesce(p_batch -> 'ads', '[]')) > 0 then 'ads'
              when jsonb_array_length(coalesce(p_batch -> 'ad_sets', '[]')) > 0 then 'ad_sets'
              else 'campaigns' end;
end
$$;

-- packed_lines as in 080, a row number matched by row_number_pattern().
create or replace function metricdrop_private.packed_lines(p_rows text, p_leaves text[], p_dates text[], p_currencies text[])
returns table (line integer, row_number integer, payload text, good boolean)
language sql
immutable
set search_path = ''
as $$
  -- materialized: inlined, each line would be split again for every field read from it
  with lines as materialized (
    select t.o, a.f, cardinality(a.f) as n
    from string_to_table(p_rows, ';') with ordinality t(line, o)
    cross join lateral (select string_to_array(t.line, ',') as f) a),
  leaves as (select (u.o - 1)::text as i, u.v from unnest(p_leaves) with ordinality u(v, o)),
  dates as (select (u.o - 1)::text as i, u.v from unnest(p_dates) with ordinality u(v, o)),
  currencies as (select (u.o - 1)::text as i, u.v from unnest(p_currencies) with ordinality u(v, o)),
  -- materialized: inlined, the checks would run again for every column that reads them
  checked as materialized (
    select l.o, l.f, l.n, d.v as day, e.v as entity, c.v as currency,
           coalesce(l.n in (8, 9) and l.f[1] ~ metricdrop_private.row_number_pattern() and d.v is not null and e.v is not null
                    and (l.n = 8 or c.v is not null)
                    and l.f[4] ~ '^(0|[1-9][0-9]*)$' and length(l.f[4]) <= metricdrop_private.count_max_digits()
                    and l.f[5] ~ '^(0|[1-9][0-9]*)$' and length(l.f[5]) <= metricdrop_private.count_max_digits()
                    and l.f[6] ~ '^(0|[1-9][0-9]*)(\.[0-9]+)?$' and length(l.f[6]) <= metricdrop_private.decimal_max_chars()
                    and l.f[7] ~ '^(0|[1-9][0-9]*)(\.[0-9]+)?$' and length(l.f[7]) <= metricdrop_private.decimal_max_chars()
                    and l.f[8] ~ '^(0|[1-9][0-9]*)(\.[0-9]+)?$' and length(l.f[8]) <= metricdrop_private.decimal_max_chars(), false) as good
    from lines l
    left join dates d on d.i = l.f[2]
    left join leaves e on e.i = l.f[3]
    left join currencies c on c.i = l.f[9])
  select k.o::integer, case when k.good then k.f[1]::integer end,
         -- Metrics passed their patterns (digits and a point), so they need no escaping.
         case when k.good then '{"date":' || k.day || ',' || k.entity
                               || ',"impressions":"' || k.f[4] || '","clicks":"' || k.f[5]
                               || '","spend":"' || k.f[6] || '","conversions":"' || k.f[7]
                               || '","conversion_value":"' || k.f[8] || '"'
                               || case when k.n = 9 then ',"currency":' || k.currency else '' end || '}' end,
         k.good
  from checked k
$$;

-- expand_packed_batch as in 080, a row number matched by row_number_pattern().
create or replace function metricdrop_private.expand_packed_batch(p_batch jsonb, p_batch_no integer, p_leaf text)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_leaves text[] := metricdrop_private.packed_leaf_fields(p_batch, p_leaf);
  v_dates text[];
  v_currencies text[];
  v_rows jsonb;
  v_bad_line integer;
begin
  select coalesce(array_agg(t.e #>> '{}' order by t.o), '{}') into v_dates
  from jsonb_array_elements(p_batch -> 'dates') with ordinality t(e, o);
  select coalesce(array_agg(t.e #>> '{}' order by t.o), '{}') into v_currencies
  from jsonb_array_elements(coalesce(p_batch -> 'currencies', '[]')) with ordinality t(e, o);
  with lines as materialized (
    select t.o, a.f, cardinality(a.f) as n,
           case when a.f[2] ~ '^[0-9]{1,6}$' then a.f[2]::integer end as d,
           case when a.f[3] ~ '^[0-9]{1,6}$' then a.f[3]::integer end as e,
           case when a.f[9] ~ '^[0-9]{1,6}$' then a.f[9]::integer end as c
    from string_to_table(p_batch ->> 'rows', ';') with ordinality t(line, o)
    cross join lateral (select string_to_array(t.line, ',') as f) a),
  checked as (
    select l.*, v_leaves[l.e + 1] as frag,
           coalesce(l.n in (8, 9) and l.d < cardinality(v_dates) and l.e < cardinality(v_leaves)
                    and (l.n = 8 or l.c < cardinality(v_currencies)), false) as ok
    from lines l)
  select ('[' || string_agg(
           '{"row_number":' || case when k.f[1] ~ metricdrop_private.row_number_pattern() then k.f[1] else 'null' end
           || ',"payload":{"date":' || to_json(v_dates[k.d + 1])::text || ',' || k.frag
           || ',"impressions":' || to_json(k.f[4])::text || ',"clicks":' || to_json(k.f[5])::text
           || ',"spend":' || to_json(k.f[6])::text || ',"conversions":' || to_json(k.f[7])::text
           || ',"conversion_value":' || to_json(k.f[8])::text
           || case when k.n = 9 then ',"currency":' || to_json(v_currencies[k.c + 1])::text else '' end
           || '}}', ',' order by k.o) filter (where k.ok) || ']')::jsonb,
         min(k.o) filter (where not k.ok)
  into v_rows, v_bad_line
  from checked k;
  if v_bad_line is not null then
    perform metricdrop_private.refuse('INVALID_INPUT',
      format('Batch %s: line %s of the rows must be a row number, a date index, an entity index, five metrics and at most a currency index.', p_batch_no, v_bad_line),
      jsonb_build_object('batch_no', p_batch_no, 'line', v_bad_line));
  end if;
  return v_rows;
end
$$;

-- stage_packed_rows as in 082, the statuses that take a new batch from staging_upload_statuses().
create or replace function metricdrop_private.stage_packed_rows(p_upload public.data_uploads, p_batch_no integer, p_batch jsonb, p_leaf text)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_leaves text[] := metricdrop_private.packed_leaf_fields(p_batch, p_leaf);
  v_dates text[] := metricdrop_private.packed_texts(p_batch -> 'dates');
  v_currencies text[] := metricdrop_private.packed_texts(p_batch -> 'currencies');
  v_bad integer;
  v_count integer;
  v_first integer;
  v_last integer;
  v_answer jsonb;
begin
  if p_batch_no is null or p_batch_no < 0 or p_upload.status <> all (metricdrop_private.staging_upload_statuses()) then
    return null;
  end if;
  -- A replay of this batch waits for the first call to end, then sees its ledger row.
  perform metricdrop_private.lock_key('stage:' || p_upload.id::text || ':' || p_batch_no::text);
  if exists (select 1 from public.upload_stage_batches b where b.upload_id = p_upload.id and b.batch_no = p_batch_no)
     or metricdrop_private.packed_list_problem(v_leaves, v_dates, v_currencies,
          (select l.level from public.upload_ledger l where l.upload_id = p_upload.id),
          (select c.currency from public.clients c where c.id = p_upload.client_id)) is not null then
    return null;
  end if;
  -- Inserted as they are checked; a line that is not good undoes the insert (the exception block's
  -- subtransaction), as does a row twice in the batch or staged by another batch.
  begin
    with lines as (
      select * from metricdrop_private.packed_lines(p_batch ->> 'rows', v_leaves, v_dates, v_currencies)),
    ins as (
      insert into public.staging_rows (workspace_id, upload_id, row_number, payload)
      select p_upload.workspace_id, p_upload.id, l.row_number, l.payload::jsonb from lines l where l.good
      returning staging_rows.row_number)
    select (select count(*) from lines l where not l.good), count(*), min(ins.row_number), max(ins.row_number)
    into v_bad, v_count, v_first, v_last
    from ins;
    if v_bad > 0 then
      raise exception using errcode = 'MDNOT', message = 'not good';
    end if;
  exception when unique_violation or sqlstate 'MDNOT' then
    return null;
  end;
  v_answer := metricdrop_private.record_stage_batch(p_upload, p_batch_no, v_count, v_count, v_first, v_last);
  -- Every line is good here: its row number and entity index are plain numbers.
  insert into public.staging_entities (workspace_id, upload_id, first_row, campaign_external_id, campaign_name,
                                       ad_set_external_id, ad_set_name, ad_external_id, ad_name)
  select p_upload.workspace_id, p_upload.id, f.first_row, e.campaign_external_id, e.campaign_name,
         e.ad_set_external_id, e.ad_set_name, e.ad_external_id, e.ad_name
  from (select (string_to_array(t.line, ','))[3]::integer as leaf, min((string_to_array(t.line, ','))[1]::integer) as first_row
        from string_to_table(p_batch ->> 'rows', ';') t(line)
        group by 1) f
  join metricdrop_private.packed_leaf_entities(p_batch, p_leaf) e on e.i = f.leaf;
  update public.upload_stage_batches b set entities_collected = true
  where b.upload_id = p_upload.id and b.batch_no = p_batch_no;
  return v_answer;
end
$$;

-- =====================================================================================================
-- Resolving dimensions (030), writing facts (081) and finishing (090)
-- =====================================================================================================

-- recorded_dimension_step as in 030, the entity type checked against entity_types() by
-- require_one_of (073): 'The entity type must be campaign, ad_set or ad, not …' as before.
create or replace function metricdrop_private.recorded_dimension_step(p_upload_id uuid, p_entity_type text)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_step public.upload_dimension_steps;
begin
  perform metricdrop_private.require_one_of('entity type', p_entity_type, metricdrop_private.entity_types());
  select * into v_step from public.upload_dimension_steps d where d.upload_id = p_upload_id and d.entity_type = p_entity_type;
  if v_step.upload_id is null then
    return null;
  end if;
  return jsonb_build_object('entity_type', p_entity_type, 'create', v_step.creates, 'update', v_step.updates,
                            'unchanged', v_step.unchanged)
         || case when v_step.by_name is null then '{}'::jsonb else jsonb_build_object('by_name', v_step.by_name) end;
end
$$;

-- check_dimension_order as in 030, the statuses from unfinished_upload_statuses().
create or replace function metricdrop_private.check_dimension_order(p_upload public.data_uploads, p_entity_type text)
returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  v_parent_type text := (metricdrop_private.dimension_of(p_entity_type)).parent_type;
begin
  if p_upload.status <> all (metricdrop_private.unfinished_upload_statuses()) then
    perform metricdrop_private.refuse('UPLOAD_CONFLICT',
      format('This upload is %s: its dimensions can no longer be resolved.', p_upload.status));
  end if;
  if v_parent_type is not null and not exists (
       select 1 from public.upload_dimension_steps d where d.upload_id = p_upload.id and d.entity_type = v_parent_type) then
    perform metricdrop_private.refuse('UPLOAD_CONFLICT',
      case p_entity_type when 'ad_set' then 'Resolve campaigns before ad sets.' else 'Resolve ad sets before ads.' end);
  end if;
end
$$;

-- write_facts as in 081, the statuses from fact_writing_upload_statuses() and every entity type's
-- step asked for by entity_types() (its count was written as 3).
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
  if v_upload.status <> all (metricdrop_private.fact_writing_upload_statuses()) then
    perform metricdrop_private.refuse('UPLOAD_CONFLICT',
      format('This upload is %s: its facts can no longer be written.', v_upload.status));
  end if;
  if (select count(*) from public.upload_dimension_steps d where d.upload_id = p_upload_id)
     < cardinality(metricdrop_private.entity_types()) then
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

-- finish_upload as in 090, the statuses from unfinished_upload_statuses().
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
  if v_upload.status <> all (metricdrop_private.unfinished_upload_statuses()) then
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

select metricdrop_private.record_migration('092', 'status_lists_from_one_place');

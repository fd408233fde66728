-- =====================================================================================================
-- 080 stage_batch checks each entity, date and currency once, not once per row
--
-- A packed batch names each campaign, ad set, ad, date and currency once; 040 expanded it to keyed
-- JSON rows, parsed them, and ran every canonical check on every row (about 60 us a row, 4 s of
-- the database's time for 100,000 rows, more than a 20 Mbit/s link needs to carry them).
-- Now the canonical checks of first_row_problem run on one probe payload per entity, date and
-- currency of the batch (a row's problem depends only on its own fields, so every row passes when
-- every probe does and its metrics and indexes pass), each row's metrics are checked as text, and
-- the rows are inserted without the keyed array in between.
-- Anything else (a problem anywhere, a replayed batch, rows another batch staged) goes the way of
-- 040, expansion and stage_rows, which decides and words the refusal exactly as before.
-- =====================================================================================================

-- The shape of a packed batch (040's format) and its lists' entries, refused as INVALID_INPUT.
-- Returns the list the rows' entity index points into: ads, ad_sets or campaigns.
create function metricdrop_private.check_packed_batch(p_batch jsonb, p_batch_no integer)
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
             to_char(metricdrop_private.max_stage_batch_rows(), 'FM999,999'), p_batch_no, v_lines),
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
revoke all on function metricdrop_private.check_packed_batch(jsonb, integer) from public, anon, authenticated, service_role;

-- The canonical fields of each leaf entity of a well-formed packed batch (p_leaf: the list rows
-- point into), as JSON text without braces: `"campaign_external_id":…,"campaign_name":…[,ad set][,ad]`,
-- every value through to_json, in index order.
create function metricdrop_private.packed_leaf_fields(p_batch jsonb, p_leaf text)
returns text[]
language sql
immutable
set search_path = ''
as $$
  with campaigns as (
    select (t.o - 1)::integer as i,
           '"campaign_external_id":' || (t.e -> 0)::text || ',"campaign_name":' || (t.e -> 1)::text as frag
    from jsonb_array_elements(p_batch -> 'campaigns') with ordinality t(e, o)),
  ad_sets as (
    select (t.o - 1)::integer as i, (t.e ->> 2)::integer as parent,
           '"ad_set_external_id":' || (t.e -> 0)::text || ',"ad_set_name":' || (t.e -> 1)::text as frag
    from jsonb_array_elements(coalesce(p_batch -> 'ad_sets', '[]')) with ordinality t(e, o)),
  ads as (
    select (t.o - 1)::integer as i, (t.e ->> 2)::integer as parent,
           '"ad_external_id":' || (t.e -> 0)::text || ',"ad_name":' || (t.e -> 1)::text as frag
    from jsonb_array_elements(coalesce(p_batch -> 'ads', '[]')) with ordinality t(e, o))
  select coalesce(array_agg(x.frag order by x.i), '{}')
  from (select a.i, c.frag || ',' || s.frag || ',' || a.frag as frag
        from ads a join ad_sets s on s.i = a.parent join campaigns c on c.i = s.parent
        where p_leaf = 'ads'
        union all
        select s.i, c.frag || ',' || s.frag from ad_sets s join campaigns c on c.i = s.parent
        where p_leaf = 'ad_sets'
        union all
        select c.i, c.frag from campaigns c
        where p_leaf = 'campaigns') x
$$;
revoke all on function metricdrop_private.packed_leaf_fields(jsonb, text) from public, anon, authenticated, service_role;

-- The JSON text of each entry of one of a packed batch's lists of text (dates, currencies).
create function metricdrop_private.packed_texts(p_list jsonb)
returns text[]
language sql
immutable
set search_path = ''
as $$
  select coalesce(array_agg(t.e::text order by t.o), '{}')
  from jsonb_array_elements(coalesce(p_list, '[]')) with ordinality t(e, o)
$$;
revoke all on function metricdrop_private.packed_texts(jsonb) from public, anon, authenticated, service_role;

-- The first canonical problem of a packed batch's lists: first_row_problem on one probe payload per
-- leaf entity (with the first date), per date (with the first entity) and per currency, metrics 0.
-- A row's problem depends only on its own fields, so when no probe has one, a row can only fail by
-- its metrics, which packed_rows checks. Null when every probe passes.
create function metricdrop_private.packed_list_problem(p_leaves text[], p_dates text[], p_currencies text[],
                                                        p_level text, p_currency text)
returns text
language sql
stable
set search_path = ''
as $$
  with probes as (
    select l.frag, p_dates[1] as day, null::text as cur from unnest(p_leaves) l(frag)
    union all select p_leaves[1], d.day, null from unnest(p_dates) d(day)
    union all select p_leaves[1], p_dates[1], c.cur from unnest(p_currencies) c(cur))
  select min(f.problem)
  from metricdrop_private.first_row_problem(
         (select jsonb_agg(('{"row_number":1,"payload":{"date":' || coalesce(p.day, 'null') || ',' || p.frag
                            || ',"impressions":"0","clicks":"0","spend":"0","conversions":"0","conversion_value":"0"'
                            || coalesce(',"currency":' || p.cur, '') || '}}')::jsonb)
          from probes p),
         p_level, p_currency) f
$$;
revoke all on function metricdrop_private.packed_list_problem(text[], text[], text[], text, text) from public, anon, authenticated, service_role;

-- The lines of a packed batch whose lists passed packed_list_problem: each with its row number and
-- canonical payload (JSON text), and whether it is well formed with metrics first_row_problem
-- accepts (the same patterns and lengths). The lists are joined by index as text (an array
-- subscript walks the array, and cost more than the rest together); an index written otherwise
-- than plainly ("01") is not well formed here, and stage_rows decides.
create function metricdrop_private.packed_lines(p_rows text, p_leaves text[], p_dates text[], p_currencies text[])
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
           coalesce(l.n in (8, 9) and l.f[1] ~ '^[1-9][0-9]{0,8}$' and d.v is not null and e.v is not null
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
revoke all on function metricdrop_private.packed_lines(text, text[], text[], text[]) from public, anon, authenticated, service_role;

-- 040's expansion of a well-formed packed batch into stage_rows' keyed rows, unchanged: the way a
-- batch with any problem goes, so stage_rows words its refusal as before.
create function metricdrop_private.expand_packed_batch(p_batch jsonb, p_batch_no integer, p_leaf text)
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
           '{"row_number":' || case when k.f[1] ~ '^[1-9][0-9]{0,8}$' then k.f[1] else 'null' end
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
revoke all on function metricdrop_private.expand_packed_batch(jsonb, integer, text) from public, anon, authenticated, service_role;

-- After a batch's rows are in staging_rows: the rows announced at begin are never exceeded, the
-- batch is recorded, the upload is staging. Batches of one upload may be sent side by side: each
-- counts the upload's rows while holding the upload row until it commits, so two batches can never
-- each pass the count and together stage more rows than were announced (and so more than 100,000).
create function metricdrop_private.record_stage_batch(p_upload public.data_uploads, p_batch_no integer, p_count integer,
                                                      p_inserted integer, p_first integer, p_last integer)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_total integer;
begin
  perform from public.data_uploads u where u.id = p_upload.id for no key update;
  v_total := p_inserted + coalesce((select sum(b.row_count) from public.upload_stage_batches b where b.upload_id = p_upload.id), 0);
  if v_total > p_upload.row_count then
    select count(*) into v_total from public.staging_rows s where s.upload_id = p_upload.id;
    if v_total > p_upload.row_count then
      perform metricdrop_private.refuse('INVALID_INPUT',
        format('This batch would bring the upload to %s rows, more than the %s announced when it began. Begin a new upload with the right row count.',
               v_total, p_upload.row_count),
        jsonb_build_object('staged', v_total, 'row_count', p_upload.row_count));
    end if;
  end if;
  insert into public.upload_stage_batches (upload_id, batch_no, workspace_id, row_count, first_row, last_row, total_staged)
  values (p_upload.id, p_batch_no, p_upload.workspace_id, p_count, p_first, p_last, v_total);
  update public.data_uploads u set status = 'staging' where u.id = p_upload.id and u.status = 'pending';
  return jsonb_build_object('batch_no', p_batch_no, 'staged', p_count, 'total_staged', v_total);
end
$$;
revoke all on function metricdrop_private.record_stage_batch(public.data_uploads, integer, integer, integer, integer, integer)
  from public, anon, authenticated, service_role;

-- Stages a new, well-formed packed batch in which every entity, date, currency and row passes the
-- canonical checks; null when it is anything else (a replay, a problem, rows already staged), for
-- stage_rows to decide.
create function metricdrop_private.stage_packed_rows(p_upload public.data_uploads, p_batch_no integer, p_batch jsonb, p_leaf text)
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
begin
  if p_batch_no is null or p_batch_no < 0 or p_upload.status not in ('pending', 'staging') then
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
  return metricdrop_private.record_stage_batch(p_upload, p_batch_no, v_count, v_count, v_first, v_last);
end
$$;
revoke all on function metricdrop_private.stage_packed_rows(public.data_uploads, integer, jsonb, text)
  from public, anon, authenticated, service_role;

-- p_batch as 040 describes it. A batch whose rows all pass is staged here directly; any other is
-- expanded and staged by stage_rows, so every refusal, the ledger and the replay answer are those
-- of stage_rows.
-- Why definer: authenticated may not insert into staging_rows; upload_for_write checks membership,
-- role and the upload, and stage_rows (or stage_packed_rows) every row.
create or replace function public.stage_batch(p_upload_id uuid, p_batch_no integer, p_batch jsonb)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  -- Refuse an unknown upload before reading the batch.
  v_upload public.data_uploads := metricdrop_private.upload_for_write(p_upload_id);
  v_leaf text := metricdrop_private.check_packed_batch(p_batch, p_batch_no);
begin
  return coalesce(metricdrop_private.stage_packed_rows(v_upload, p_batch_no, p_batch, v_leaf),
                  public.stage_rows(p_upload_id, p_batch_no, metricdrop_private.expand_packed_batch(p_batch, p_batch_no, v_leaf)));
end
$$;

-- stage_rows as in 010, its last steps in record_stage_batch (shared with stage_packed_rows).
create or replace function public.stage_rows(p_upload_id uuid, p_batch_no integer, p_rows jsonb)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  c_max_batch constant integer := metricdrop_private.max_stage_batch_rows();
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
      format('A batch holds 1 to %s rows; batch %s has %s. Send the rows in smaller batches.',
             to_char(c_max_batch, 'FM999,999'), p_batch_no, v_count),
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

  return metricdrop_private.record_stage_batch(v_upload, p_batch_no, v_count, v_inserted, v_first, v_last);
end
$$;

select metricdrop_private.record_migration('080', 'stage_batch_checked_once');

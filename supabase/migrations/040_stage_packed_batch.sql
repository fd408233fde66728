-- =====================================================================================================
-- 040 Ingest, stage 2 in fewer bytes: stage_batch
--
-- The rows of a batch packed as the app sends them over a slow link: each campaign, ad set and ad
-- of the batch once (id and name), each date once, and every row a short line of numbers that
-- refers to them. Expanded here into the canonical rows staging_rows.payload holds, then staged by
-- stage_rows itself, so every check, the ledger and the replay answer are those of stage_rows.
-- =====================================================================================================

-- True when p_value is an index into a list of p_length items: a whole number (JSON number or the
-- text of one) from 0 to p_length - 1. Never raises, whatever the value.
create function metricdrop_private.is_index(p_value jsonb, p_length integer)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select case when jsonb_typeof(p_value) in ('number', 'string') and (p_value #>> '{}') ~ '^[0-9]{1,6}$'
              then (p_value #>> '{}')::integer < coalesce(p_length, 0)
              else false end
$$;
revoke all on function metricdrop_private.is_index(jsonb, integer) from public, anon, authenticated, service_role;

-- p_batch (JSON, at most 5,000 rows):
--   {"campaigns": [["<external id>", "<name>"], ...],
--    "ad_sets":   [["<external id>", "<name>", <index into campaigns>], ...],     (ad-set and ad files)
--    "ads":       [["<external id>", "<name>", <index into ad_sets>], ...],       (ad files)
--    "dates":     ["YYYY-MM-DD", ...],
--    "currencies": ["USD", ...],                                                  (optional)
--    "rows": "<row number>,<date index>,<entity index>,<impressions>,<clicks>,<spend>,<conversions>,<conversion value>[,<currency index>];..."}
-- Indexes count from 0. A row's entity index points into ads when the batch has ads, else into
-- ad_sets when it has ad sets, else into campaigns; its ad set and campaign follow from the parents.
-- Metrics are written exactly as in the canonical row (decimal text). The rows are one string of
-- `;`-separated lines because that is the fewest bytes JSON can carry them in (no quotes or brackets
-- per value, and neither separator needs escaping).
-- Why definer: it only reshapes the argument and hands it to stage_rows, which checks membership,
-- role, the upload and every row.
create function public.stage_batch(p_upload_id uuid, p_batch_no integer, p_batch jsonb)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  c_max_batch constant integer := 5000;
  v_rows_text text;
  v_lines integer;
  v_leaf text;
  v_bad record;
  v_rows jsonb;
  v_dates text[];
  v_currencies text[];
  v_nleaf integer;
  v_bad_line integer;
begin
  -- Who may stage what is stage_rows' to decide; refuse an unknown upload before reading the batch.
  perform metricdrop_private.upload_for_write(p_upload_id);
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
  v_lines := length(v_rows_text) - length(replace(v_rows_text, ';', '')) + 1;
  if v_rows_text = '' or v_lines > c_max_batch then
    perform metricdrop_private.refuse('INVALID_INPUT',
      format('A batch holds 1 to 5,000 rows; batch %s has %s. Send the rows in smaller batches.', p_batch_no, case when v_rows_text = '' then 0 else v_lines end),
      jsonb_build_object('rows', case when v_rows_text = '' then 0 else v_lines end, 'limit', c_max_batch));
  end if;
  select coalesce(array_agg(t.e #>> '{}' order by t.o), '{}') into v_dates
  from jsonb_array_elements(p_batch -> 'dates') with ordinality t(e, o);
  select coalesce(array_agg(t.e #>> '{}' order by t.o), '{}') into v_currencies
  from jsonb_array_elements(coalesce(p_batch -> 'currencies', '[]')) with ordinality t(e, o);
  v_leaf := case when jsonb_array_length(coalesce(p_batch -> 'ads', '[]')) > 0 then 'ads'
                 when jsonb_array_length(coalesce(p_batch -> 'ad_sets', '[]')) > 0 then 'ad_sets'
                 else 'campaigns' end;

  -- The first malformed entity, date or currency, named by where it is; well-formed values are
  -- then only reshaped, and stage_rows judges them as canonical rows.
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
    where jsonb_typeof(t.e) <> 'string'

  ) x
  order by x.k, x.o
  limit 1;
  if v_bad.what is not null then
    perform metricdrop_private.refuse('INVALID_INPUT', format('Batch %s: %s.', p_batch_no, v_bad.what),
      jsonb_build_object('batch_no', p_batch_no));
  end if;

  -- Expand, in one pass: each line becomes {row_number, payload: canonical row}, or marks the first
  -- malformed line (a wrong field count or an index out of range). A row number that is not a whole
  -- number goes on as JSON null, for stage_rows to refuse with the line it came from. Indexes are
  -- parsed inline (CASE, never a cast of unchecked text), so a line costs a few comparisons.
  v_nleaf := jsonb_array_length(p_batch -> v_leaf);
  -- The rows are written as JSON text from fragments made once per entity and date (every value
  -- through to_json, so any text stays a JSON string), then parsed once: several times faster than
  -- building each row with jsonb_build_object.
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
    from jsonb_array_elements(coalesce(p_batch -> 'ads', '[]')) with ordinality t(e, o)),
  leaves as (
    select a.i, c.frag || ',' || s.frag || ',' || a.frag as frag
    from ads a join ad_sets s on s.i = a.parent join campaigns c on c.i = s.parent
    where v_leaf = 'ads'
    union all
    select s.i, c.frag || ',' || s.frag
    from ad_sets s join campaigns c on c.i = s.parent
    where v_leaf = 'ad_sets'
    union all
    select c.i, c.frag
    from campaigns c
    where v_leaf = 'campaigns'),
  -- materialized: inlined, each line would be split again for every field read from it
  lines as materialized (
    select t.o, a.f, cardinality(a.f) as n,
           case when a.f[2] ~ '^[0-9]{1,6}$' then a.f[2]::integer end as d,
           case when a.f[3] ~ '^[0-9]{1,6}$' then a.f[3]::integer end as e,
           case when a.f[9] ~ '^[0-9]{1,6}$' then a.f[9]::integer end as c
    from string_to_table(v_rows_text, ';') with ordinality t(line, o)
    cross join lateral (select string_to_array(t.line, ',') as f) a),
  checked as (
    select l.*, x.frag,
           coalesce(l.n in (8, 9) and l.d < cardinality(v_dates) and l.e < v_nleaf
                    and (l.n = 8 or l.c < cardinality(v_currencies)), false) as ok
    from lines l
    left join leaves x on x.i = l.e)
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

  return public.stage_rows(p_upload_id, p_batch_no, v_rows);
end
$$;
revoke all on function public.stage_batch(uuid, integer, jsonb) from public, anon, authenticated, service_role;
grant execute on function public.stage_batch(uuid, integer, jsonb) to authenticated;

insert into metricdrop_private.schema_versions (version, name) values ('040', 'stage_packed_batch');

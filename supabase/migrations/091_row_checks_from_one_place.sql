-- =====================================================================================================
-- 091 first_row_problem and stage_rows in short steps, their limits and lists asked of 070
--
-- first_row_problem (007) was one CASE of 118 lines that wrote out the canonical row's fields twice
-- and its lengths (64, 1,024, 18 and 40 characters) in every check and sentence; stage_rows (080,
-- 107 lines) wrote out the active statuses, the statuses that still take rows and the row-number
-- pattern, and grouped the batch limit as 'FM999,999'. The lengths now come from 070, the fields,
-- the statuses, the row-number pattern and how much of a refused value a sentence quotes from the
-- functions below, and each step is a private function called in the same order: same checks,
-- same codes, same sentences, the same row and column in the details.
-- first_row_problem's CASE is three functions, tried in turn for each item until one names a
-- problem. They are PL/pgSQL returning one CASE, which is compiled once per transaction; as SQL
-- functions (not inlined, having their own search_path) each call compiled its CASE again and a
-- batch of 5,000 valid rows took 3.5 times as long. As they are, it takes about as long as with
-- 007's one CASE (stage_batch sends one probe payload per entity and date through it, not every row).
-- =====================================================================================================

-- The fields of the canonical row, in shared/canonical.ts CanonicalRow's order (the keys a staged
-- payload may have; test/db/canonical-parity.test.ts checks the two lists agree).
create function metricdrop_private.canonical_fields() returns text[]
language sql immutable set search_path = '' as $$
  select array['date', 'campaign_external_id', 'campaign_name', 'ad_set_external_id', 'ad_set_name', 'ad_external_id',
               'ad_name', 'impressions', 'clicks', 'spend', 'conversions', 'conversion_value', 'currency']
$$;

-- A row number as its text must read: 1 to 999,999,999, digits only (any row number an upload can
-- have, and never past integer).
create function metricdrop_private.row_number_pattern() returns text
language sql immutable set search_path = '' as $$ select '^[1-9][0-9]{0,8}$' $$;

-- The statuses of an upload that still takes new stage batches (its rows are not all staged yet).
create function metricdrop_private.staging_upload_statuses() returns text[]
language sql immutable set search_path = '' as $$ select array['pending', 'staging'] $$;

-- The most characters of a refused value (as JSON text) that a refusal's sentence quotes.
create function metricdrop_private.shown_value_max_chars() returns integer
language sql immutable set search_path = '' as $$ select 40 $$;

-- =====================================================================================================
-- first_row_problem's checks, in the order it tries them. Each returns {code, field, problem} for
-- an item's first problem in its part, or null; each may assume the parts before it found none.
-- =====================================================================================================

-- The first (by name) of a payload's keys that is not a canonical field, or null.
create function metricdrop_private.first_unknown_field(p_payload jsonb)
returns text
language sql
immutable
set search_path = ''
as $$
  select min(k) from jsonb_object_keys(p_payload - metricdrop_private.canonical_fields()) as k
$$;

-- The item and its payload: an object with a row number and a payload holding only canonical
-- fields, and the date (a JSON string of a real calendar day).
create function metricdrop_private.item_problem(p_item jsonb, p_row_number integer, p_payload jsonb)
returns text[]
language plpgsql
stable
set search_path = ''
as $$
begin
  return case
    when jsonb_typeof(p_item) is distinct from 'object' then
      array['INVALID_INPUT', null, 'is not an object with row_number and payload']
    when p_row_number is null then
      array['INVALID_INPUT', 'row_number', format('must be a whole number of at least 1, not %s',
            left(coalesce((p_item -> 'row_number')::text, 'missing'), metricdrop_private.shown_value_max_chars()))]
    when jsonb_typeof(p_payload) is distinct from 'object' then
      array['INVALID_INPUT', 'payload', 'must be an object holding the canonical row']
    when (p_payload - metricdrop_private.canonical_fields()) <> '{}'::jsonb then
      array['INVALID_VALUE', metricdrop_private.first_unknown_field(p_payload), 'is not a field of the canonical row']
    when coalesce(jsonb_typeof(p_payload -> 'date'), 'null') = 'null' then
      array['INVALID_VALUE', 'date', 'is required, as text such as "2024-03-01"']
    when not (case
                when jsonb_typeof(p_payload -> 'date') <> 'string'
                     or (p_payload ->> 'date') !~ '^[0-9]{4}-(0[1-9]|1[0-2])-[0-3][0-9]$' then false
                when substr(p_payload ->> 'date', 1, 4) = '0000' then false
                else substr(p_payload ->> 'date', 9, 2) between '01' and (
                  case substr(p_payload ->> 'date', 6, 2)
                    when '02' then
                      case when (substr(p_payload ->> 'date', 1, 4)::integer % 4 = 0
                                 and substr(p_payload ->> 'date', 1, 4)::integer % 100 <> 0)
                                or substr(p_payload ->> 'date', 1, 4)::integer % 400 = 0
                           then '29' else '28' end
                    when '04' then '30' when '06' then '30' when '09' then '30' when '11' then '30'
                    else '31'
                  end)
              end) then
      array['INVALID_VALUE', 'date', format('must be a real date written YYYY-MM-DD, not %s',
            left((p_payload -> 'date')::text, metricdrop_private.shown_value_max_chars()))]
  end;
end
$$;

-- The campaign, ad set and ad: each id and name text of 1 to external_id_max_chars() and
-- name_max_chars() characters, not only spaces (a length in characters is counted only when the
-- bytes exceed it), and the ad set and ad there exactly as the file's level asks.
create function metricdrop_private.entity_problem(p jsonb, p_level text)
returns text[]
language plpgsql
stable
set search_path = ''
as $$
declare
  c_id_max constant integer := metricdrop_private.external_id_max_chars();
  c_name_max constant integer := metricdrop_private.name_max_chars();
begin
  return case
    when jsonb_typeof(p -> 'campaign_external_id') is distinct from 'string'
         or (octet_length(p ->> 'campaign_external_id') > c_id_max and length(p ->> 'campaign_external_id') > c_id_max)
         or btrim(p ->> 'campaign_external_id') = '' then
      array['INVALID_VALUE', 'campaign_external_id', format('is required, as text of 1 to %s characters', c_id_max)]
    when jsonb_typeof(p -> 'campaign_name') is distinct from 'string'
         or (octet_length(p ->> 'campaign_name') > c_name_max and length(p ->> 'campaign_name') > c_name_max)
         or btrim(p ->> 'campaign_name') = '' then
      array['INVALID_VALUE', 'campaign_name', format('is required, as text of 1 to %s characters', c_name_max)]
    when (p ? 'ad_set_external_id') <> (p ? 'ad_set_name') then
      array['INVALID_VALUE', case when p ? 'ad_set_name' then 'ad_set_external_id' else 'ad_set_name' end,
            'is required with the other: an ad set has both an id and a name']
    when (p ? 'ad_external_id') <> (p ? 'ad_name') then
      array['INVALID_VALUE', case when p ? 'ad_name' then 'ad_external_id' else 'ad_name' end,
            'is required with the other: an ad has both an id and a name']
    when p_level = 'campaign' and (p ? 'ad_set_external_id' or p ? 'ad_external_id') then
      array['INVALID_VALUE', case when p ? 'ad_set_external_id' then 'ad_set_external_id' else 'ad_external_id' end,
            'is not expected: the upload was begun as a campaign-level file']
    when p_level in ('ad_set', 'ad') and not p ? 'ad_set_external_id' then
      array['INVALID_VALUE', 'ad_set_external_id',
            format('is required: the upload was begun as an %s-level file', replace(p_level, '_', '-'))]
    when p_level = 'ad_set' and p ? 'ad_external_id' then
      array['INVALID_VALUE', 'ad_external_id', 'is not expected: the upload was begun as an ad-set-level file']
    when p_level = 'ad' and not p ? 'ad_external_id' then
      array['INVALID_VALUE', 'ad_external_id', 'is required: the upload was begun as an ad-level file']
    when p ? 'ad_set_external_id'
         and (jsonb_typeof(p -> 'ad_set_external_id') is distinct from 'string'
              or (octet_length(p ->> 'ad_set_external_id') > c_id_max and length(p ->> 'ad_set_external_id') > c_id_max)
              or btrim(p ->> 'ad_set_external_id') = '') then
      array['INVALID_VALUE', 'ad_set_external_id', format('must be text of 1 to %s characters', c_id_max)]
    when p ? 'ad_set_name'
         and (jsonb_typeof(p -> 'ad_set_name') is distinct from 'string'
              or (octet_length(p ->> 'ad_set_name') > c_name_max and length(p ->> 'ad_set_name') > c_name_max)
              or btrim(p ->> 'ad_set_name') = '') then
      array['INVALID_VALUE', 'ad_set_name', format('must be text of 1 to %s characters', c_name_max)]
    when p ? 'ad_external_id'
         and (jsonb_typeof(p -> 'ad_external_id') is distinct from 'string'
              or (octet_length(p ->> 'ad_external_id') > c_id_max and length(p ->> 'ad_external_id') > c_id_max)
              or btrim(p ->> 'ad_external_id') = '') then
      array['INVALID_VALUE', 'ad_external_id', format('must be text of 1 to %s characters', c_id_max)]
    when p ? 'ad_name'
         and (jsonb_typeof(p -> 'ad_name') is distinct from 'string'
              or (octet_length(p ->> 'ad_name') > c_name_max and length(p ->> 'ad_name') > c_name_max)
              or btrim(p ->> 'ad_name') = '') then
      array['INVALID_VALUE', 'ad_name', format('must be text of 1 to %s characters', c_name_max)]
  end;
end
$$;

-- The metrics, exact decimal text never negative (a JSON string; digits and a point need no
-- escaping), counts of at most count_max_digits() digits, amounts of at most decimal_max_chars()
-- characters; then the currency, where the export names it: an ISO 4217 code, the client's.
create function metricdrop_private.metric_problem(p jsonb, p_currency text)
returns text[]
language plpgsql
stable
set search_path = ''
as $$
declare
  c_count_max constant integer := metricdrop_private.count_max_digits();
  c_decimal_max constant integer := metricdrop_private.decimal_max_chars();
  c_shown constant integer := metricdrop_private.shown_value_max_chars();
begin
  return case
    when jsonb_typeof(p -> 'impressions') is distinct from 'string' or (p ->> 'impressions') !~ '^(0|[1-9][0-9]*)$'
         or length(p ->> 'impressions') > c_count_max then
      array['INVALID_VALUE', 'impressions', format('must be a non-negative whole number written as text such as "1200", not %s', left(coalesce((p -> 'impressions')::text, 'missing'), c_shown))]
    when jsonb_typeof(p -> 'clicks') is distinct from 'string' or (p ->> 'clicks') !~ '^(0|[1-9][0-9]*)$'
         or length(p ->> 'clicks') > c_count_max then
      array['INVALID_VALUE', 'clicks', format('must be a non-negative whole number written as text such as "35", not %s', left(coalesce((p -> 'clicks')::text, 'missing'), c_shown))]
    when jsonb_typeof(p -> 'spend') is distinct from 'string' or (p ->> 'spend') !~ '^(0|[1-9][0-9]*)(\.[0-9]+)?$'
         or length(p ->> 'spend') > c_decimal_max then
      array['INVALID_VALUE', 'spend', format('must be a non-negative decimal written as text such as "1234.56", not %s', left(coalesce((p -> 'spend')::text, 'missing'), c_shown))]
    when jsonb_typeof(p -> 'conversions') is distinct from 'string' or (p ->> 'conversions') !~ '^(0|[1-9][0-9]*)(\.[0-9]+)?$'
         or length(p ->> 'conversions') > c_decimal_max then
      array['INVALID_VALUE', 'conversions', format('must be a non-negative decimal written as text such as "3.5", not %s', left(coalesce((p -> 'conversions')::text, 'missing'), c_shown))]
    when jsonb_typeof(p -> 'conversion_value') is distinct from 'string' or (p ->> 'conversion_value') !~ '^(0|[1-9][0-9]*)(\.[0-9]+)?$'
         or length(p ->> 'conversion_value') > c_decimal_max then
      array['INVALID_VALUE', 'conversion_value', format('must be a non-negative decimal written as text such as "980.00", not %s', left(coalesce((p -> 'conversion_value')::text, 'missing'), c_shown))]
    when p ? 'currency'
         and (jsonb_typeof(p -> 'currency') is distinct from 'string' or (p ->> 'currency') !~ '^[A-Z]{3}$') then
      array['INVALID_VALUE', 'currency', format('must be an ISO 4217 code such as "USD", not %s', left((p -> 'currency')::text, c_shown))]
    when p ? 'currency' and (p ->> 'currency') is distinct from p_currency then
      array['CURRENCY_MISMATCH', 'currency',
            format('is %s, but this client reports in %s. Choose the client whose account the file comes from.', p ->> 'currency', p_currency)]
  end;
end
$$;

-- The first problem in a batch of staged rows, in row-number order, or no row when all are valid.
-- The server checks every payload itself: a modified app could send anything. One set-based pass;
-- each item goes through item_problem, entity_problem and metric_problem until one names a problem
-- (COALESCE stops there, as 007's CASE stopped at a row's first problem). The items are
-- materialized so each row's payload is taken out of its item once, not at every check.
create or replace function metricdrop_private.first_row_problem(p_rows jsonb, p_level text, p_currency text)
returns table (row_number integer, item integer, code text, field text, problem text)
language sql
stable
set search_path = ''
as $$
  with items as materialized (
    select t.e, t.ord::integer as ord, t.e -> 'payload' as p,
      case when jsonb_typeof(t.e -> 'row_number') = 'number' and (t.e ->> 'row_number') ~ metricdrop_private.row_number_pattern()
           then (t.e ->> 'row_number')::integer end as rn
    from jsonb_array_elements(p_rows) with ordinality as t(e, ord)
  ),
  checked as (
    select i.rn, i.ord, coalesce(metricdrop_private.item_problem(i.e, i.rn, i.p),
                                 metricdrop_private.entity_problem(i.p, p_level),
                                 metricdrop_private.metric_problem(i.p, p_currency)) as problem
    from items i
  )
  select c.rn, c.ord, c.problem[1], c.problem[2], c.problem[3]
  from checked c
  where c.problem is not null
  order by c.rn nulls first, c.ord
  limit 1
$$;

-- =====================================================================================================
-- stage_rows' steps, in the order it takes them
-- =====================================================================================================

-- INVALID_INPUT unless p_batch_no and p_rows are a stage batch: a batch number of 0 or more and a
-- JSON array of 1 to max_stage_batch_rows() items. Returns how many items the array has.
create function metricdrop_private.check_stage_rows_arguments(p_batch_no integer, p_rows jsonb)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  c_max_batch constant integer := metricdrop_private.max_stage_batch_rows();
  v_count integer;
begin
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
             metricdrop_private.thousands(c_max_batch), p_batch_no, v_count),
      jsonb_build_object('rows', v_count, 'limit', c_max_batch));
  end if;
  return v_count;
end
$$;

-- A batch staged before: its first answer again when p_rows are the same rows with the same values
-- (each row is checked while the upload is active), else UPLOAD_CONFLICT. Null for a batch number
-- not staged yet. Call under the batch's lock, so a replay sees the first call's ledger row.
create function metricdrop_private.stage_batch_replay(p_upload public.data_uploads, p_batch_no integer, p_rows jsonb,
                                                      p_count integer)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_batch public.upload_stage_batches;
begin
  select * into v_batch from public.upload_stage_batches b where b.upload_id = p_upload.id and b.batch_no = p_batch_no;
  if v_batch.upload_id is null then
    return null;
  end if;
  if v_batch.row_count <> p_count or (p_upload.status = any (metricdrop_private.active_upload_statuses()) and exists (
       select 1
       from jsonb_array_elements(p_rows) e
       left join public.staging_rows s
         on s.upload_id = p_upload.id
        and s.row_number = case when (e ->> 'row_number') ~ metricdrop_private.row_number_pattern() then (e ->> 'row_number')::integer end
       where s.payload is distinct from e -> 'payload')) then
    perform metricdrop_private.refuse('UPLOAD_CONFLICT',
      format('Batch %s of this upload was already staged with different rows. Resume the upload from the same file, or begin a new upload.', p_batch_no));
  end if;
  return jsonb_build_object('batch_no', p_batch_no, 'staged', v_batch.row_count, 'total_staged', v_batch.total_staged);
end
$$;

-- The first problem of the batch's rows (first_row_problem against the upload's level and its
-- client's currency), refused with its code, the row (or the item) and the column.
create function metricdrop_private.check_stage_rows(p_upload public.data_uploads, p_batch_no integer, p_rows jsonb)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_level text := (select l.level from public.upload_ledger l where l.upload_id = p_upload.id);
  v_client_currency text := (select c.currency from public.clients c where c.id = p_upload.client_id);
  v_bad record;
begin
  select * into v_bad from metricdrop_private.first_row_problem(p_rows, v_level, v_client_currency);
  if v_bad.item is not null then
    perform metricdrop_private.refuse(v_bad.code,
      case when v_bad.row_number is null
           then format('Item %s of batch %s: %s %s.', v_bad.item, p_batch_no, coalesce(v_bad.field, 'the item'), v_bad.problem)
           else format('Row %s: %s %s.', v_bad.row_number, coalesce(v_bad.field, 'the row'), v_bad.problem) end,
      jsonb_build_object('row', v_bad.row_number, 'column', v_bad.field, 'batch_no', p_batch_no));
  end if;
end
$$;

-- Stores checked rows: a plain insert, as the rows of a new batch are new (ON CONFLICT DO NOTHING on
-- every row cost a sixth of the insert), which also gives back their row numbers' range. A unique
-- violation undoes it: either a row is twice in the batch (refused) or some rows were staged by
-- another batch (then only the others are inserted). Returns how many were inserted and the range.
create function metricdrop_private.insert_stage_rows(p_upload public.data_uploads, p_batch_no integer, p_rows jsonb,
                                                     out inserted integer, out first_row integer, out last_row integer)
language plpgsql
set search_path = ''
as $$
declare
  v_dup integer;
begin
  with ins as (
    insert into public.staging_rows (workspace_id, upload_id, row_number, payload)
    select p_upload.workspace_id, p_upload.id, (e ->> 'row_number')::integer, e -> 'payload'
    from jsonb_array_elements(p_rows) e
    returning staging_rows.row_number)
  select count(*), min(ins.row_number), max(ins.row_number) into inserted, first_row, last_row from ins;
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
  select p_upload.workspace_id, p_upload.id, (e ->> 'row_number')::integer, e -> 'payload'
  from jsonb_array_elements(p_rows) e
  on conflict (upload_id, row_number) do nothing;
  get diagnostics inserted = row_count;
  select min((e ->> 'row_number')::integer), max((e ->> 'row_number')::integer) into first_row, last_row
  from jsonb_array_elements(p_rows) e;
end
$$;

-- UPLOAD_CONFLICT when a row of p_rows was staged by another batch with other values (rows staged
-- before are allowed only when they are the same rows).
create function metricdrop_private.check_rows_staged_before(p_upload_id uuid, p_batch_no integer, p_rows jsonb)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_dup integer;
begin
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
end
$$;

revoke all on function metricdrop_private.canonical_fields(), metricdrop_private.row_number_pattern(),
  metricdrop_private.staging_upload_statuses(), metricdrop_private.shown_value_max_chars(),
  metricdrop_private.first_unknown_field(jsonb), metricdrop_private.item_problem(jsonb, integer, jsonb), metricdrop_private.entity_problem(jsonb, text),
  metricdrop_private.metric_problem(jsonb, text), metricdrop_private.check_stage_rows_arguments(integer, jsonb),
  metricdrop_private.stage_batch_replay(public.data_uploads, integer, jsonb, integer),
  metricdrop_private.check_stage_rows(public.data_uploads, integer, jsonb),
  metricdrop_private.insert_stage_rows(public.data_uploads, integer, jsonb),
  metricdrop_private.check_rows_staged_before(uuid, integer, jsonb)
  from public, anon, authenticated, service_role;

-- p_rows = [{"row_number": 17, "payload": {canonical row}}, ...]: the arguments, then (under the
-- batch's lock) a replay, the upload's status, every row's check, the insert and the rows other
-- batches staged, as in 080; the ledger and the answer in record_stage_batch.
-- Why definer: authenticated may not insert into staging_rows; upload_for_write checks membership,
-- role and the upload, and check_stage_rows every row.
create or replace function public.stage_rows(p_upload_id uuid, p_batch_no integer, p_rows jsonb)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  -- In this order: an unknown upload is refused before its arguments.
  v_upload public.data_uploads := metricdrop_private.upload_for_write(p_upload_id);
  v_count integer := metricdrop_private.check_stage_rows_arguments(p_batch_no, p_rows);
  v_replay jsonb;
  v_stored record;
begin
  -- A replay of this batch waits for the first call to end, then sees its ledger row.
  perform metricdrop_private.lock_key('stage:' || p_upload_id::text || ':' || p_batch_no::text);
  v_replay := metricdrop_private.stage_batch_replay(v_upload, p_batch_no, p_rows, v_count);
  if v_replay is not null then
    return v_replay;
  end if;
  if v_upload.status <> all (metricdrop_private.staging_upload_statuses()) then
    perform metricdrop_private.refuse('UPLOAD_CONFLICT',
      format('This upload is %s: its rows can no longer be changed. Begin a new upload to send other rows.', v_upload.status));
  end if;

  -- Check every row before storing any.
  perform metricdrop_private.check_stage_rows(v_upload, p_batch_no, p_rows);
  select * into v_stored from metricdrop_private.insert_stage_rows(v_upload, p_batch_no, p_rows);
  if v_stored.inserted < v_count then
    perform metricdrop_private.check_rows_staged_before(p_upload_id, p_batch_no, p_rows);
  end if;
  return metricdrop_private.record_stage_batch(v_upload, p_batch_no, v_count, v_stored.inserted, v_stored.first_row,
                                               v_stored.last_row);
end
$$;

select metricdrop_private.record_migration('091', 'row_checks_from_one_place');

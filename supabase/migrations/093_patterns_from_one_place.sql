-- =====================================================================================================
-- 093 The metric and currency patterns, a packed batch's index pattern and a packed line's fields,
-- each in one function
--
-- After 092 two current definitions each wrote out the same rule: metric_problem (a staged
-- payload, 091) and packed_lines (a packed batch's line, 092) the patterns of a count and of a
-- decimal; check_begin_arguments (073) and metric_problem the currency's; is_index (040) and
-- expand_packed_batch (092) the pattern of an index into a packed batch's lists; packed_lines and
-- expand_packed_batch how many fields a packed line has (8, or 9 with a currency index). Each now
-- has its function, in 070's style, and the five functions ask it: same checks, same codes, same
-- sentences. An immutable function without arguments is folded into a constant where its caller's
-- statement is planned, so metric_problem and packed_lines, called for every row, cost no more
-- than with the values written out: in 5,000 calls of metric_problem count_pattern() runs twice,
-- once where each count asks it (pg_stat_get_xact_function_calls), and a 5,000-row stage_batch
-- takes as long as before.
-- The table checks of clients.currency and upload_ledger.currency still write the currency's
-- pattern: a check asking currency_pattern() would need EXECUTE for authenticated (owners and
-- admins add clients), as workspace_roles() has for its domain.
-- test/db/catalog.test.ts now fails when a current definition writes out a pattern (any text) one
-- of these functions returns, as it does for the value lists.
-- fail_upload (013) keeps its ('failed', 'expired') and its 40 and 2,000 characters: each is written
-- once, and the app checks none of them (the server cuts the stage and the message it keeps).
-- =====================================================================================================

-- A count (impressions, clicks) as its text must read: a whole number, digits only, no leading zero
-- (at most count_max_digits() of them).
create function metricdrop_private.count_pattern() returns text
language sql immutable set search_path = '' as $$ select '^(0|[1-9][0-9]*)$' $$;

-- An amount (spend, conversions, conversion_value) as its text must read: a count, then at most a
-- point and digits (at most decimal_max_chars() characters in all).
create function metricdrop_private.decimal_pattern() returns text
language sql immutable set search_path = '' as $$ select '^(0|[1-9][0-9]*)(\.[0-9]+)?$' $$;

-- A currency as its text must read: an ISO 4217 code, three capital letters.
create function metricdrop_private.currency_pattern() returns text
language sql immutable set search_path = '' as $$ select '^[A-Z]{3}$' $$;

-- An index into one of a packed batch's lists (040) as its text must read before it is compared
-- with the list's length: 1 to 6 digits.
create function metricdrop_private.packed_index_pattern() returns text
language sql immutable set search_path = '' as $$ select '^[0-9]{1,6}$' $$;

-- The fields of a packed line (040): its row number, date index, entity index and five metrics. A
-- line may have one more, its currency index, after them.
create function metricdrop_private.packed_line_fields() returns integer
language sql immutable set search_path = '' as $$ select 8 $$;

revoke all on function metricdrop_private.count_pattern(), metricdrop_private.decimal_pattern(),
  metricdrop_private.currency_pattern(), metricdrop_private.packed_index_pattern(),
  metricdrop_private.packed_line_fields()
  from public, anon, authenticated, service_role;

-- =====================================================================================================
-- Beginning an upload (073)
-- =====================================================================================================

-- check_begin_arguments as in 073, the currency matched by currency_pattern().
create or replace function metricdrop_private.check_begin_arguments(
  p_upload_id uuid, p_workspace_id uuid, p_client_id uuid, p_platform text, p_mode text, p_file_name text,
  p_file_sha256 text, p_file_bytes bigint, p_row_count integer, p_level text, p_currency text)
returns void
language plpgsql
set search_path = ''
as $$
begin
  if p_upload_id is null or p_workspace_id is null or p_client_id is null then
    perform metricdrop_private.refuse('INVALID_INPUT', 'An upload id, a workspace and a client are required to begin an upload.');
  end if;
  perform metricdrop_private.require_one_of('platform', p_platform, metricdrop_private.platforms());
  perform metricdrop_private.require_one_of('mode', p_mode, metricdrop_private.upload_modes());
  perform metricdrop_private.require_one_of('level', p_level, metricdrop_private.entity_types());
  if p_file_name is null or length(p_file_name) not between 1 and metricdrop_private.file_name_max_chars() then
    perform metricdrop_private.refuse('INVALID_INPUT',
      format('The file name must be 1 to %s characters.', metricdrop_private.file_name_max_chars()));
  end if;
  if p_file_sha256 is null or p_file_sha256 !~ '^[0-9a-f]{64}$' then
    perform metricdrop_private.refuse('INVALID_INPUT', 'The file''s SHA-256 must be 64 lower-case hexadecimal characters.');
  end if;
  if p_file_bytes is null or p_file_bytes < 0 or p_row_count is null or p_row_count < 0 then
    perform metricdrop_private.refuse('INVALID_INPUT', 'The file size and row count must be given and not negative.');
  end if;
  if p_currency is not null and p_currency !~ metricdrop_private.currency_pattern() then
    perform metricdrop_private.refuse('INVALID_INPUT',
      format('The currency must be an ISO 4217 code such as USD, not %s.', p_currency));
  end if;
end
$$;

-- =====================================================================================================
-- A staged payload's metrics (091)
-- =====================================================================================================

-- metric_problem as in 091, the counts, amounts and currency matched by count_pattern(),
-- decimal_pattern() and currency_pattern(). Asked inside its one CASE, which is planned once and
-- not at each call, each pattern is a constant of the plan: nothing is asked again per row.
create or replace function metricdrop_private.metric_problem(p jsonb, p_currency text)
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
    when jsonb_typeof(p -> 'impressions') is distinct from 'string' or (p ->> 'impressions') !~ metricdrop_private.count_pattern()
         or length(p ->> 'impressions') > c_count_max then
      array['INVALID_VALUE', 'impressions', format('must be a non-negative whole number written as text such as "1200", not %s', left(coalesce((p -> 'impressions')::text, 'missing'), c_shown))]
    when jsonb_typeof(p -> 'clicks') is distinct from 'string' or (p ->> 'clicks') !~ metricdrop_private.count_pattern()
         or length(p ->> 'clicks') > c_count_max then
      array['INVALID_VALUE', 'clicks', format('must be a non-negative whole number written as text such as "35", not %s', left(coalesce((p -> 'clicks')::text, 'missing'), c_shown))]
    when jsonb_typeof(p -> 'spend') is distinct from 'string' or (p ->> 'spend') !~ metricdrop_private.decimal_pattern()
         or length(p ->> 'spend') > c_decimal_max then
      array['INVALID_VALUE', 'spend', format('must be a non-negative decimal written as text such as "1234.56", not %s', left(coalesce((p -> 'spend')::text, 'missing'), c_shown))]
    when jsonb_typeof(p -> 'conversions') is distinct from 'string' or (p ->> 'conversions') !~ metricdrop_private.decimal_pattern()
         or length(p ->> 'conversions') > c_decimal_max then
      array['INVALID_VALUE', 'conversions', format('must be a non-negative decimal written as text such as "3.5", not %s', left(coalesce((p -> 'conversions')::text, 'missing'), c_shown))]
    when jsonb_typeof(p -> 'conversion_value') is distinct from 'string' or (p ->> 'conversion_value') !~ metricdrop_private.decimal_pattern()
         or length(p ->> 'conversion_value') > c_decimal_max then
      array['INVALID_VALUE', 'conversion_value', format('must be a non-negative decimal written as text such as "980.00", not %s', left(coalesce((p -> 'conversion_value')::text, 'missing'), c_shown))]
    when p ? 'currency'
         and (jsonb_typeof(p -> 'currency') is distinct from 'string' or (p ->> 'currency') !~ metricdrop_private.currency_pattern()) then
      array['INVALID_VALUE', 'currency', format('must be an ISO 4217 code such as "USD", not %s', left((p -> 'currency')::text, c_shown))]
    when p ? 'currency' and (p ->> 'currency') is distinct from p_currency then
      array['CURRENCY_MISMATCH', 'currency',
            format('is %s, but this client reports in %s. Choose the client whose account the file comes from.', p ->> 'currency', p_currency)]
  end;
end
$$;

-- =====================================================================================================
-- A packed batch's lines (040, 080, 092)
-- =====================================================================================================

-- is_index as in 040, the index's text matched by packed_index_pattern().
create or replace function metricdrop_private.is_index(p_value jsonb, p_length integer)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select case when jsonb_typeof(p_value) in ('number', 'string') and (p_value #>> '{}') ~ metricdrop_private.packed_index_pattern()
              then (p_value #>> '{}')::integer < coalesce(p_length, 0)
              else false end
$$;

-- packed_lines as in 092, a line's metrics matched by count_pattern() and decimal_pattern(), and its
-- fields counted by packed_line_fields() (the currency index, where there is one, after them).
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
           coalesce(l.n in (metricdrop_private.packed_line_fields(), metricdrop_private.packed_line_fields() + 1)
                    and l.f[1] ~ metricdrop_private.row_number_pattern() and d.v is not null and e.v is not null
                    and (l.n = metricdrop_private.packed_line_fields() or c.v is not null)
                    and l.f[4] ~ metricdrop_private.count_pattern() and length(l.f[4]) <= metricdrop_private.count_max_digits()
                    and l.f[5] ~ metricdrop_private.count_pattern() and length(l.f[5]) <= metricdrop_private.count_max_digits()
                    and l.f[6] ~ metricdrop_private.decimal_pattern() and length(l.f[6]) <= metricdrop_private.decimal_max_chars()
                    and l.f[7] ~ metricdrop_private.decimal_pattern() and length(l.f[7]) <= metricdrop_private.decimal_max_chars()
                    and l.f[8] ~ metricdrop_private.decimal_pattern() and length(l.f[8]) <= metricdrop_private.decimal_max_chars(), false) as good
    from lines l
    left join dates d on d.i = l.f[2]
    left join leaves e on e.i = l.f[3]
    left join currencies c on c.i = l.f[metricdrop_private.packed_line_fields() + 1])
  select k.o::integer, case when k.good then k.f[1]::integer end,
         -- Metrics passed their patterns (digits and a point), so they need no escaping.
         case when k.good then '{"date":' || k.day || ',' || k.entity
                               || ',"impressions":"' || k.f[4] || '","clicks":"' || k.f[5]
                               || '","spend":"' || k.f[6] || '","conversions":"' || k.f[7]
                               || '","conversion_value":"' || k.f[8] || '"'
                               || case when k.n > metricdrop_private.packed_line_fields() then ',"currency":' || k.currency else '' end
                               || '}' end,
         k.good
  from checked k
$$;

-- expand_packed_batch as in 092, a line's indexes matched by packed_index_pattern() and its fields
-- counted by packed_line_fields().
create or replace function metricdrop_private.expand_packed_batch(p_batch jsonb, p_batch_no integer, p_leaf text)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  c_fields constant integer := metricdrop_private.packed_line_fields();
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
           case when a.f[2] ~ metricdrop_private.packed_index_pattern() then a.f[2]::integer end as d,
           case when a.f[3] ~ metricdrop_private.packed_index_pattern() then a.f[3]::integer end as e,
           case when a.f[c_fields + 1] ~ metricdrop_private.packed_index_pattern() then a.f[c_fields + 1]::integer end as c
    from string_to_table(p_batch ->> 'rows', ';') with ordinality t(line, o)
    cross join lateral (select string_to_array(t.line, ',') as f) a),
  checked as (
    select l.*, v_leaves[l.e + 1] as frag,
           coalesce(l.n in (c_fields, c_fields + 1) and l.d < cardinality(v_dates) and l.e < cardinality(v_leaves)
                    and (l.n = c_fields or l.c < cardinality(v_currencies)), false) as ok
    from lines l)
  select ('[' || string_agg(
           '{"row_number":' || case when k.f[1] ~ metricdrop_private.row_number_pattern() then k.f[1] else 'null' end
           || ',"payload":{"date":' || to_json(v_dates[k.d + 1])::text || ',' || k.frag
           || ',"impressions":' || to_json(k.f[4])::text || ',"clicks":' || to_json(k.f[5])::text
           || ',"spend":' || to_json(k.f[6])::text || ',"conversions":' || to_json(k.f[7])::text
           || ',"conversion_value":' || to_json(k.f[8])::text
           || case when k.n > c_fields then ',"currency":' || to_json(v_currencies[k.c + 1])::text else '' end
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

select metricdrop_private.record_migration('093', 'patterns_from_one_place');

-- =====================================================================================================
-- 007 Ingest helpers (private schema, not exposed, not executable by API roles)
--
-- Refusals follow docs/architecture.md: SQLSTATE P0001, a sentence a person can act on as the
-- message, the data-contract code as the hint, and optional JSON facts as the detail. supabase-js
-- shows them as error.code = 'P0001', error.hint = '<CODE>', error.message, error.details.
-- =====================================================================================================

-- Raises a refusal. Never returns.
create function metricdrop_private.refuse(p_code text, p_message text, p_detail jsonb default null)
returns void
language plpgsql
set search_path = ''
as $$
begin
  if p_detail is null then
    raise exception using errcode = 'P0001', message = p_message, hint = p_code;
  end if;
  raise exception using errcode = 'P0001', message = p_message, hint = p_code, detail = p_detail::text;
end
$$;
revoke all on function metricdrop_private.refuse(text, text, jsonb) from public, anon, authenticated, service_role;

-- The signed-in caller, or a NOT_SIGNED_IN refusal.
create function metricdrop_private.caller()
returns uuid
language plpgsql
stable
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
begin
  if v_uid is null then
    perform metricdrop_private.refuse('NOT_SIGNED_IN', 'Sign in first: this request carries no signed-in user.');
  end if;
  return v_uid;
end
$$;
revoke all on function metricdrop_private.caller() from public, anon, authenticated, service_role;

-- The caller's role in a workspace, refusing NOT_AUTHORIZED below p_min_role.
create function metricdrop_private.require_role(p_workspace_id uuid, p_min_role text)
returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  v_uid uuid := metricdrop_private.caller();
  v_role text;
begin
  select m.role into v_role
  from public.workspace_members m
  where m.workspace_id = p_workspace_id and m.user_id = v_uid;
  if v_role is null then
    perform metricdrop_private.refuse('NOT_AUTHORIZED',
      'You are not a member of this workspace. Ask one of its owners to add you, or choose another workspace.');
  end if;
  if metricdrop_private.role_rank(v_role) < metricdrop_private.role_rank(p_min_role) then
    perform metricdrop_private.refuse('NOT_AUTHORIZED',
      format('Your role in this workspace is %s, which can read data but not upload. Ask an owner or admin to make you a member.', v_role),
      jsonb_build_object('role', v_role, 'required', p_min_role));
  end if;
  return v_role;
end
$$;
revoke all on function metricdrop_private.require_role(uuid, text) from public, anon, authenticated, service_role;

-- Serialises begin_upload and promote_upload per workspace (concurrency and rate limits), and
-- replays of one stage batch or fact batch, until the transaction ends.
create function metricdrop_private.lock_key(p_key text)
returns void
language sql
set search_path = ''
as $$
  select pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('metricdrop:' || p_key, 0))
$$;
revoke all on function metricdrop_private.lock_key(text) from public, anon, authenticated, service_role;

-- The upload p_upload_id when the caller is a member of its workspace (any role), locked FOR UPDATE
-- when p_lock; else UPLOAD_NOT_FOUND, for another workspace's upload too, so ids reveal nothing.
-- The one lookup behind upload_for_write, fail_upload and upload_progress.
create function metricdrop_private.member_upload(p_upload_id uuid, p_lock boolean default false)
returns public.data_uploads
language plpgsql
set search_path = ''
as $$
declare
  v_uid uuid := metricdrop_private.caller();
  v_upload public.data_uploads;
begin
  if p_upload_id is null then
    perform metricdrop_private.refuse('INVALID_INPUT', 'An upload id is required.');
  end if;
  if p_lock then
    select * into v_upload from public.data_uploads u where u.id = p_upload_id for update;
  else
    select * into v_upload from public.data_uploads u where u.id = p_upload_id;
  end if;
  if v_upload.id is null or not exists (
       select 1 from public.workspace_members m where m.workspace_id = v_upload.workspace_id and m.user_id = v_uid) then
    perform metricdrop_private.refuse('UPLOAD_NOT_FOUND',
      format('There is no upload %s in your workspaces. Check that you are signed in with the account that began it, or begin the upload again.', p_upload_id));
  end if;
  return v_upload;
end
$$;
revoke all on function metricdrop_private.member_upload(uuid, boolean) from public, anon, authenticated, service_role;

-- The upload a stage call works on, after checking that the caller may continue it (a member or
-- above, and the one who began it) and that it is still alive.
create function metricdrop_private.upload_for_write(p_upload_id uuid, p_lock boolean default false)
returns public.data_uploads
language plpgsql
set search_path = ''
as $$
declare
  v_upload public.data_uploads := metricdrop_private.member_upload(p_upload_id, p_lock);
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
  if v_upload.status in ('pending', 'staging', 'staged', 'committing') then
    if v_upload.mode = 'FULL_DRY_RUN' and v_upload.created_at < now() - interval '24 hours' then
      perform metricdrop_private.refuse('UPLOAD_EXPIRED',
        'This dry run is older than 24 hours, so its staged rows are no longer kept. Run the dry run again.',
        jsonb_build_object('created_at', v_upload.created_at, 'retention_hours', 24));
    end if;
    if v_upload.created_at < now() - interval '7 days' then
      perform metricdrop_private.refuse('UPLOAD_EXPIRED',
        'This upload began more than 7 days ago, so its staged rows are no longer kept. Upload the file again.',
        jsonb_build_object('created_at', v_upload.created_at, 'retention_days', 7));
    end if;
  end if;
  return v_upload;
end
$$;
revoke all on function metricdrop_private.upload_for_write(uuid, boolean) from public, anon, authenticated, service_role;

-- The first problem in a batch of staged rows, in row-number order, or no row when all are valid.
-- The server checks every payload itself: a modified app could send anything. One set-based pass;
-- CASE stops at a row's first problem, so a valid row costs a handful of comparisons. The items are
-- materialized so each row's payload is taken out of its item once, not at every check (15% faster).
-- Text is checked as extracted (->>) after its JSON type, not as JSON text, and a length in
-- characters is counted only when the bytes exceed it (another 18%).
create function metricdrop_private.first_row_problem(p_rows jsonb, p_level text, p_currency text)
returns table (row_number integer, item integer, code text, field text, problem text)
language sql
stable
set search_path = ''
as $$
  with items as materialized (
    select t.e, t.ord::integer as ord, t.e -> 'payload' as p,
      case when jsonb_typeof(t.e -> 'row_number') = 'number' and (t.e ->> 'row_number') ~ '^[1-9][0-9]{0,8}$'
           then (t.e ->> 'row_number')::integer end as rn
    from jsonb_array_elements(p_rows) with ordinality as t(e, ord)
  ),
  checked as (
    select i.rn, i.ord, case
      when jsonb_typeof(i.e) is distinct from 'object' then
        array['INVALID_INPUT', null, 'is not an object with row_number and payload']
      when i.rn is null then
        array['INVALID_INPUT', 'row_number', format('must be a whole number of at least 1, not %s', left(coalesce((i.e -> 'row_number')::text, 'missing'), 40))]
      when jsonb_typeof(i.p) is distinct from 'object' then
        array['INVALID_INPUT', 'payload', 'must be an object holding the canonical row']
      when (i.p - array['date', 'campaign_external_id', 'campaign_name', 'ad_set_external_id', 'ad_set_name',
                        'ad_external_id', 'ad_name', 'impressions', 'clicks', 'spend', 'conversions',
                        'conversion_value', 'currency']) <> '{}'::jsonb then
        array['INVALID_VALUE',
              (select min(k) from jsonb_object_keys(i.p - array['date', 'campaign_external_id', 'campaign_name',
                 'ad_set_external_id', 'ad_set_name', 'ad_external_id', 'ad_name', 'impressions', 'clicks',
                 'spend', 'conversions', 'conversion_value', 'currency']) as k),
              'is not a field of the canonical row']
      -- date: a JSON string of a real calendar day
      when coalesce(jsonb_typeof(i.p -> 'date'), 'null') = 'null' then
        array['INVALID_VALUE', 'date', 'is required, as text such as "2024-03-01"']
      when not (case
                  when jsonb_typeof(i.p -> 'date') <> 'string' or (i.p ->> 'date') !~ '^[0-9]{4}-(0[1-9]|1[0-2])-[0-3][0-9]$' then false
                  when substr(i.p ->> 'date', 1, 4) = '0000' then false
                  else substr(i.p ->> 'date', 9, 2) between '01' and (
                    case substr(i.p ->> 'date', 6, 2)
                      when '02' then
                        case when (substr(i.p ->> 'date', 1, 4)::integer % 4 = 0
                                   and substr(i.p ->> 'date', 1, 4)::integer % 100 <> 0)
                                  or substr(i.p ->> 'date', 1, 4)::integer % 400 = 0
                             then '29' else '28' end
                      when '04' then '30' when '06' then '30' when '09' then '30' when '11' then '30'
                      else '31'
                    end)
                end) then
        array['INVALID_VALUE', 'date', format('must be a real date written YYYY-MM-DD, not %s', left((i.p -> 'date')::text, 40))]
      -- campaign
      when jsonb_typeof(i.p -> 'campaign_external_id') is distinct from 'string'
           or (octet_length(i.p ->> 'campaign_external_id') > 64 and length(i.p ->> 'campaign_external_id') > 64)
           or btrim(i.p ->> 'campaign_external_id') = '' then
        array['INVALID_VALUE', 'campaign_external_id', 'is required, as text of 1 to 64 characters']
      when jsonb_typeof(i.p -> 'campaign_name') is distinct from 'string'
           or (octet_length(i.p ->> 'campaign_name') > 1024 and length(i.p ->> 'campaign_name') > 1024)
           or btrim(i.p ->> 'campaign_name') = '' then
        array['INVALID_VALUE', 'campaign_name', 'is required, as text of 1 to 1024 characters']
      -- ad set and ad: id and name together, as the file's level asks
      when (i.p ? 'ad_set_external_id') <> (i.p ? 'ad_set_name') then
        array['INVALID_VALUE', case when i.p ? 'ad_set_name' then 'ad_set_external_id' else 'ad_set_name' end,
              'is required with the other: an ad set has both an id and a name']
      when (i.p ? 'ad_external_id') <> (i.p ? 'ad_name') then
        array['INVALID_VALUE', case when i.p ? 'ad_name' then 'ad_external_id' else 'ad_name' end,
              'is required with the other: an ad has both an id and a name']
      when p_level = 'campaign' and (i.p ? 'ad_set_external_id' or i.p ? 'ad_external_id') then
        array['INVALID_VALUE', case when i.p ? 'ad_set_external_id' then 'ad_set_external_id' else 'ad_external_id' end,
              'is not expected: the upload was begun as a campaign-level file']
      when p_level in ('ad_set', 'ad') and not i.p ? 'ad_set_external_id' then
        array['INVALID_VALUE', 'ad_set_external_id',
              format('is required: the upload was begun as an %s-level file', replace(p_level, '_', '-'))]
      when p_level = 'ad_set' and i.p ? 'ad_external_id' then
        array['INVALID_VALUE', 'ad_external_id', 'is not expected: the upload was begun as an ad-set-level file']
      when p_level = 'ad' and not i.p ? 'ad_external_id' then
        array['INVALID_VALUE', 'ad_external_id', 'is required: the upload was begun as an ad-level file']
      when i.p ? 'ad_set_external_id'
           and (jsonb_typeof(i.p -> 'ad_set_external_id') is distinct from 'string'
                or (octet_length(i.p ->> 'ad_set_external_id') > 64 and length(i.p ->> 'ad_set_external_id') > 64)
                or btrim(i.p ->> 'ad_set_external_id') = '') then
        array['INVALID_VALUE', 'ad_set_external_id', 'must be text of 1 to 64 characters']
      when i.p ? 'ad_set_name'
           and (jsonb_typeof(i.p -> 'ad_set_name') is distinct from 'string'
                or (octet_length(i.p ->> 'ad_set_name') > 1024 and length(i.p ->> 'ad_set_name') > 1024)
                or btrim(i.p ->> 'ad_set_name') = '') then
        array['INVALID_VALUE', 'ad_set_name', 'must be text of 1 to 1024 characters']
      when i.p ? 'ad_external_id'
           and (jsonb_typeof(i.p -> 'ad_external_id') is distinct from 'string'
                or (octet_length(i.p ->> 'ad_external_id') > 64 and length(i.p ->> 'ad_external_id') > 64)
                or btrim(i.p ->> 'ad_external_id') = '') then
        array['INVALID_VALUE', 'ad_external_id', 'must be text of 1 to 64 characters']
      when i.p ? 'ad_name'
           and (jsonb_typeof(i.p -> 'ad_name') is distinct from 'string'
                or (octet_length(i.p ->> 'ad_name') > 1024 and length(i.p ->> 'ad_name') > 1024)
                or btrim(i.p ->> 'ad_name') = '') then
        array['INVALID_VALUE', 'ad_name', 'must be text of 1 to 1024 characters']
      -- metrics: exact decimal text (a JSON string; digits and a dot need no escaping, so its JSON text is
      -- two characters longer), never negative
      when jsonb_typeof(i.p -> 'impressions') is distinct from 'string' or (i.p ->> 'impressions') !~ '^(0|[1-9][0-9]*)$'
           or length(i.p ->> 'impressions') > 18 then
        array['INVALID_VALUE', 'impressions', format('must be a non-negative whole number written as text such as "1200", not %s', left(coalesce((i.p -> 'impressions')::text, 'missing'), 40))]
      when jsonb_typeof(i.p -> 'clicks') is distinct from 'string' or (i.p ->> 'clicks') !~ '^(0|[1-9][0-9]*)$'
           or length(i.p ->> 'clicks') > 18 then
        array['INVALID_VALUE', 'clicks', format('must be a non-negative whole number written as text such as "35", not %s', left(coalesce((i.p -> 'clicks')::text, 'missing'), 40))]
      when jsonb_typeof(i.p -> 'spend') is distinct from 'string' or (i.p ->> 'spend') !~ '^(0|[1-9][0-9]*)(\.[0-9]+)?$'
           or length(i.p ->> 'spend') > 40 then
        array['INVALID_VALUE', 'spend', format('must be a non-negative decimal written as text such as "1234.56", not %s', left(coalesce((i.p -> 'spend')::text, 'missing'), 40))]
      when jsonb_typeof(i.p -> 'conversions') is distinct from 'string' or (i.p ->> 'conversions') !~ '^(0|[1-9][0-9]*)(\.[0-9]+)?$'
           or length(i.p ->> 'conversions') > 40 then
        array['INVALID_VALUE', 'conversions', format('must be a non-negative decimal written as text such as "3.5", not %s', left(coalesce((i.p -> 'conversions')::text, 'missing'), 40))]
      when jsonb_typeof(i.p -> 'conversion_value') is distinct from 'string' or (i.p ->> 'conversion_value') !~ '^(0|[1-9][0-9]*)(\.[0-9]+)?$'
           or length(i.p ->> 'conversion_value') > 40 then
        array['INVALID_VALUE', 'conversion_value', format('must be a non-negative decimal written as text such as "980.00", not %s', left(coalesce((i.p -> 'conversion_value')::text, 'missing'), 40))]
      -- currency, where the export names it: the client's
      when i.p ? 'currency'
           and (jsonb_typeof(i.p -> 'currency') is distinct from 'string' or (i.p ->> 'currency') !~ '^[A-Z]{3}$') then
        array['INVALID_VALUE', 'currency', format('must be an ISO 4217 code such as "USD", not %s', left((i.p -> 'currency')::text, 40))]
      when i.p ? 'currency' and (i.p ->> 'currency') is distinct from p_currency then
        array['CURRENCY_MISMATCH', 'currency',
              format('is %s, but this client reports in %s. Choose the client whose account the file comes from.', i.p ->> 'currency', p_currency)]
    end as problem
    from items i
  )
  select c.rn, c.ord, c.problem[1], c.problem[2], c.problem[3]
  from checked c
  where c.problem is not null
  order by c.rn nulls first, c.ord
  limit 1
$$;
revoke all on function metricdrop_private.first_row_problem(jsonb, text, text) from public, anon, authenticated, service_role;

-- Order of the dimension stages: campaigns, then ad sets, then ads.
create function metricdrop_private.entity_rank(p_entity_type text)
returns integer
language sql
immutable
set search_path = ''
as $$
  select case p_entity_type when 'campaign' then 1 when 'ad_set' then 2 when 'ad' then 3 end
$$;
revoke all on function metricdrop_private.entity_rank(text) from public, anon, authenticated, service_role;

insert into metricdrop_private.schema_versions (version, name) values ('007', 'helpers');

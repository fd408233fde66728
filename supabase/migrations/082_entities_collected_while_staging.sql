-- =====================================================================================================
-- 082 The upload's entities are collected as each packed batch is staged, not after the last one
--
-- Resolving campaigns began by reading every staged row twice: once for repeated fact grains, once
-- to collect the distinct campaigns, ad sets and ads (with the first row of each) into
-- staging_entities. A packed batch names its entities itself, so stage_batch now writes them, with
-- the first row of each in the batch, while later batches are still on the link; resolving
-- campaigns collects them from the staged rows only when some batch did not (keyed stage_rows
-- batches, or a packed one that went the way of stage_rows). An entity in several batches has a row
-- for each: every reader of staging_entities takes the least first row (entity_rows' callers group).
-- =====================================================================================================

alter table public.upload_stage_batches add column entities_collected boolean not null default false;
comment on column public.upload_stage_batches.entities_collected is
  'The batch wrote its entities into staging_entities itself (a packed batch, 082).';

-- The leaf entities of a well-formed packed batch (p_leaf: the list rows point into) with their
-- parents, by index: campaign, ad set and ad, id and name (ad set and ad null above their level).
create function metricdrop_private.packed_leaf_entities(p_batch jsonb, p_leaf text)
returns table (i integer, campaign_external_id text, campaign_name text, ad_set_external_id text, ad_set_name text,
               ad_external_id text, ad_name text)
language sql
immutable
set search_path = ''
as $$
  with campaigns as (
    select (t.o - 1)::integer as i, t.e ->> 0 as id, t.e ->> 1 as name
    from jsonb_array_elements(p_batch -> 'campaigns') with ordinality t(e, o)),
  ad_sets as (
    select (t.o - 1)::integer as i, (t.e ->> 2)::integer as parent, t.e ->> 0 as id, t.e ->> 1 as name
    from jsonb_array_elements(coalesce(p_batch -> 'ad_sets', '[]')) with ordinality t(e, o)),
  ads as (
    select (t.o - 1)::integer as i, (t.e ->> 2)::integer as parent, t.e ->> 0 as id, t.e ->> 1 as name
    from jsonb_array_elements(coalesce(p_batch -> 'ads', '[]')) with ordinality t(e, o))
  select a.i, c.id, c.name, s.id, s.name, a.id, a.name
  from ads a join ad_sets s on s.i = a.parent join campaigns c on c.i = s.parent
  where p_leaf = 'ads'
  union all
  select s.i, c.id, c.name, s.id, s.name, null, null from ad_sets s join campaigns c on c.i = s.parent
  where p_leaf = 'ad_sets'
  union all
  select c.i, c.id, c.name, null, null, null, null from campaigns c
  where p_leaf = 'campaigns'
$$;
revoke all on function metricdrop_private.packed_leaf_entities(jsonb, text) from public, anon, authenticated, service_role;

-- stage_packed_rows as in 080, and the batch's entities (each leaf its rows name, with their first
-- row) into staging_entities in the same transaction, the batch marked as having done so.
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

-- Before campaigns: every row staged, no fact grain twice, and the upload's distinct entities in
-- staging_entities, collected from the staged rows only when some batch did not write its own.
create or replace function metricdrop_private.collect_entities(p_upload public.data_uploads)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_staged integer;
begin
  select count(*) into v_staged from public.staging_rows s where s.upload_id = p_upload.id;
  if v_staged <> p_upload.row_count then
    perform metricdrop_private.refuse('UPLOAD_CONFLICT',
      format('Only %s of the upload''s %s rows are staged. Stage the rest before resolving campaigns.', v_staged, p_upload.row_count),
      jsonb_build_object('staged', v_staged, 'row_count', p_upload.row_count));
  end if;
  perform metricdrop_private.check_duplicate_rows(p_upload.id);
  if not exists (select 1 from public.upload_stage_batches b where b.upload_id = p_upload.id and not b.entities_collected) then
    return;
  end if;
  delete from public.staging_entities e where e.upload_id = p_upload.id;
  insert into public.staging_entities (workspace_id, upload_id, first_row, campaign_external_id, campaign_name,
                                       ad_set_external_id, ad_set_name, ad_external_id, ad_name)
  select p_upload.workspace_id, p_upload.id, min(s.row_number),
         s.payload ->> 'campaign_external_id', s.payload ->> 'campaign_name',
         s.payload ->> 'ad_set_external_id', s.payload ->> 'ad_set_name',
         s.payload ->> 'ad_external_id', s.payload ->> 'ad_name'
  from public.staging_rows s
  where s.upload_id = p_upload.id
  group by 4, 5, 6, 7, 8, 9;
end
$$;

select metricdrop_private.record_migration('082', 'entities_collected_while_staging');

-- =====================================================================================================
-- 011 Ingest, stage 3: resolve_dimensions (campaigns, then ad sets, then ads; one transaction each)
-- =====================================================================================================

-- Refuses an upload whose staged rows repeat a fact's grain (same day, campaign, ad set and ad):
-- two rows would write one daily_metrics row, and which one wins would be an accident. The scan
-- finds the first repeated grain by its first row only; the second row is looked up afterwards,
-- when there is one (collecting ordered row numbers per grain sorted all 100,000 rows: 1.6x slower).
create function metricdrop_private.check_duplicate_rows(p_upload_id uuid)
returns void
language plpgsql
set search_path = ''
-- Plan each call for its own upload (a read: no foreign-key checks to re-plan, see resolve_dimensions).
set plan_cache_mode = force_custom_plan
as $$
declare
  v record;
  v_second integer;
begin
  select s.payload ->> 'date' as day, s.payload ->> 'campaign_external_id' as campaign,
         s.payload ->> 'ad_set_external_id' as ad_set, s.payload ->> 'ad_external_id' as ad,
         min(s.row_number) as first_row
  into v
  from public.staging_rows s
  where s.upload_id = p_upload_id
  group by 1, 2, 3, 4
  having count(*) > 1
  order by min(s.row_number) limit 1;
  if v.first_row is not null then
    select s.row_number into v_second
    from public.staging_rows s
    where s.upload_id = p_upload_id and s.row_number > v.first_row
      and s.payload ->> 'date' = v.day and s.payload ->> 'campaign_external_id' = v.campaign
      and (s.payload ->> 'ad_set_external_id') is not distinct from v.ad_set
      and (s.payload ->> 'ad_external_id') is not distinct from v.ad
    order by s.row_number limit 1;
    perform metricdrop_private.refuse('DUPLICATE_ROW',
      format('Rows %s and %s are both for %s on %s: each day may appear once per campaign, ad set and ad. Remove one of them.',
             v.first_row, v_second,
             concat_ws(' / ', 'campaign ' || v.campaign, 'ad set ' || v.ad_set, 'ad ' || v.ad), v.day),
      jsonb_build_object('row', v_second, 'first_row', v.first_row));
  end if;
end
$$;
revoke all on function metricdrop_private.check_duplicate_rows(uuid) from public, anon, authenticated, service_role;

-- The rows of staging_entities as entities of one type: external id, name, the parent's external id
-- (campaign of an ad set, ad set of an ad) and the first staged row that names them. The one place
-- that maps staging_entities' columns to an entity type.
create function metricdrop_private.entity_rows(p_upload_id uuid, p_entity_type text)
returns table (external_id text, name text, parent_external_id text, first_row integer)
language sql
stable
set search_path = ''
as $$
  select x.external_id, x.name, x.parent, x.first_row
  from (select case p_entity_type when 'campaign' then e.campaign_external_id
                                  when 'ad_set' then e.ad_set_external_id
                                  else e.ad_external_id end as external_id,
               case p_entity_type when 'campaign' then e.campaign_name
                                  when 'ad_set' then e.ad_set_name
                                  else e.ad_name end as name,
               case p_entity_type when 'ad_set' then e.campaign_external_id
                                  when 'ad' then e.ad_set_external_id end as parent,
               e.first_row
        from public.staging_entities e
        where e.upload_id = p_upload_id) x
  where x.external_id is not null
$$;
revoke all on function metricdrop_private.entity_rows(uuid, text) from public, anon, authenticated, service_role;

-- The entities of one type in an upload: external id, name and parent's external id. One name and
-- one parent per id once check_conflicting_dimension has passed.
create function metricdrop_private.upload_entities(p_upload_id uuid, p_entity_type text)
returns table (external_id text, name text, parent_external_id text)
language sql
stable
set search_path = ''
as $$
  select r.external_id, min(r.name), min(r.parent_external_id)
  from metricdrop_private.entity_rows(p_upload_id, p_entity_type) r
  group by r.external_id
$$;
revoke all on function metricdrop_private.upload_entities(uuid, text) from public, anon, authenticated, service_role;

-- Refuses an upload that gives one external id of p_entity_type two names or two parents (read from
-- staging_entities through entity_rows; window functions, so the cost stays linear whatever the
-- planner estimates).
create function metricdrop_private.check_conflicting_dimension(p_upload_id uuid, p_entity_type text)
returns void
language plpgsql
set search_path = ''
set plan_cache_mode = force_custom_plan
as $$
declare
  v record;
  v_label text := case p_entity_type when 'campaign' then 'Campaign' when 'ad_set' then 'Ad set' else 'Ad' end;
  v_parent text := case p_entity_type when 'ad_set' then 'campaign' when 'ad' then 'ad set' end;
begin
  select y.external_id, y.name as name_a, y.next_name as name_b, y.parent as parent_a, y.next_parent as parent_b,
         y.first_row as row_a, y.next_row as row_b
  into v
  from (select x.*,
               row_number() over w as k,
               lead(x.name) over w as next_name, lead(x.parent) over w as next_parent, lead(x.first_row) over w as next_row
        from (select r.external_id, r.name, r.parent_external_id as parent, min(r.first_row) as first_row
              from metricdrop_private.entity_rows(p_upload_id, p_entity_type) r
              group by 1, 2, 3) x
        window w as (partition by x.external_id order by x.first_row)) y
  where y.k = 1 and y.next_row is not null
  order by y.next_row
  limit 1;
  if v.external_id is null then
    return;
  end if;
  if v.name_a is distinct from v.name_b then
    perform metricdrop_private.refuse('CONFLICTING_DIMENSION',
      format('%s %s has two names in this file: "%s" in row %s and "%s" in row %s. Give each id one name.',
             v_label, v.external_id, v.name_a, v.row_a, v.name_b, v.row_b),
      jsonb_build_object('row', v.row_b, 'first_row', v.row_a, 'entity_type', p_entity_type, 'external_id', v.external_id));
  end if;
  perform metricdrop_private.refuse('CONFLICTING_DIMENSION',
    format('%s %s belongs to two %ss in this file: %s in row %s and %s in row %s. Each %s belongs to one %s.',
           v_label, v.external_id, v_parent, v.parent_a, v.row_a, v.parent_b, v.row_b, lower(v_label), v_parent),
    jsonb_build_object('row', v.row_b, 'first_row', v.row_a, 'entity_type', p_entity_type, 'external_id', v.external_id));
end
$$;
revoke all on function metricdrop_private.check_conflicting_dimension(uuid, text) from public, anon, authenticated, service_role;

-- Resolves one entity type of an upload. COMMIT: upserts by natural key (a new name or a new parent
-- is an update; an unchanged row is not rewritten) and records created/updated/existing per external
-- id. FULL_DRY_RUN: records would_create/would_update/existing and writes no dimension. Campaigns
-- first (they also check the whole upload for duplicate rows, fix the fact batches and collect the
-- upload's entities), then ad sets, then ads. A replay returns the recorded counts.
-- The three types differ only in table and parent column, so one dynamic statement serves all three
-- (names from a fixed mapping, values bound). Every lookup into a dimension table or the resolution
-- is per entity through an index, so a fresh upload's stale statistics cannot make it quadratic.
-- The statements that join run through EXECUTE, so each call plans them for its own upload; the
-- function itself keeps the default plan_cache_mode: force_custom_plan on it would also re-plan the
-- foreign-key check run for every dimension and resolution row written (ads 167 -> 82 ms without).
-- Why definer: authenticated may not write dimensions; membership and role are checked here.
create function public.resolve_dimensions(p_upload_id uuid, p_entity_type text)
returns jsonb
language plpgsql
security definer
set search_path = ''
-- The duplicate check groups every staged row: room to hash 100,000 rows instead of sorting on disk.
set work_mem = '64MB'
as $$
declare
  v_upload public.data_uploads;
  v_step public.upload_dimension_steps;
  v_staged integer;
  v_starts integer[];
  v_create integer;
  v_update integer;
  v_unchanged integer;
  v_table text;
  v_parent_type text;
  v_parent_column text;
  v_parent_id text;        -- SQL for the parent's resolved id of entity e (null for campaigns)
  v_target_parent text;    -- SQL for the current parent id of dimension row t
begin
  v_upload := metricdrop_private.upload_for_write(p_upload_id, true);
  if p_entity_type is null or p_entity_type not in ('campaign', 'ad_set', 'ad') then
    perform metricdrop_private.refuse('INVALID_INPUT',
      format('The entity type must be campaign, ad_set or ad, not %s.', coalesce(p_entity_type, 'nothing')));
  end if;
  select * into v_step from public.upload_dimension_steps d where d.upload_id = p_upload_id and d.entity_type = p_entity_type;
  if v_step.upload_id is not null then
    return jsonb_build_object('entity_type', p_entity_type, 'create', v_step.creates, 'update', v_step.updates,
                              'unchanged', v_step.unchanged);
  end if;
  if v_upload.status not in ('pending', 'staging', 'committing') then
    perform metricdrop_private.refuse('UPLOAD_CONFLICT',
      format('This upload is %s: its dimensions can no longer be resolved.', v_upload.status));
  end if;
  v_parent_type := case p_entity_type when 'ad_set' then 'campaign' when 'ad' then 'ad_set' end;
  if v_parent_type is not null and not exists (
       select 1 from public.upload_dimension_steps d where d.upload_id = p_upload_id and d.entity_type = v_parent_type) then
    perform metricdrop_private.refuse('UPLOAD_CONFLICT',
      case p_entity_type when 'ad_set' then 'Resolve campaigns before ad sets.' else 'Resolve ad sets before ads.' end);
  end if;

  if p_entity_type = 'campaign' then
    -- Every row staged? And fact batch k = staged rows k*1000 ... k*1000+999 in row-number order:
    -- fix the first row number of each batch.
    select count(*), coalesce(array_agg(n.row_number order by n.row_number) filter (where n.i % 1000 = 0), '{}')
    into v_staged, v_starts
    from (select s.row_number, row_number() over (order by s.row_number) - 1 as i
          from public.staging_rows s where s.upload_id = p_upload_id) n;
    if v_staged <> v_upload.row_count then
      perform metricdrop_private.refuse('UPLOAD_CONFLICT',
        format('Only %s of the upload''s %s rows are staged. Stage the rest before resolving campaigns.', v_staged, v_upload.row_count),
        jsonb_build_object('staged', v_staged, 'row_count', v_upload.row_count));
    end if;
    perform metricdrop_private.check_duplicate_rows(p_upload_id);
    update public.upload_ledger l set fact_batch_starts = v_starts where l.upload_id = p_upload_id;
    -- One pass over the staged rows for all three dimension stages.
    delete from public.staging_entities e where e.upload_id = p_upload_id;
    insert into public.staging_entities (workspace_id, upload_id, first_row, campaign_external_id, campaign_name,
                                         ad_set_external_id, ad_set_name, ad_external_id, ad_name)
    select v_upload.workspace_id, p_upload_id, min(s.row_number),
           s.payload ->> 'campaign_external_id', s.payload ->> 'campaign_name',
           s.payload ->> 'ad_set_external_id', s.payload ->> 'ad_set_name',
           s.payload ->> 'ad_external_id', s.payload ->> 'ad_name'
    from public.staging_rows s
    where s.upload_id = p_upload_id
    group by 4, 5, 6, 7, 8, 9;
  end if;
  perform metricdrop_private.check_conflicting_dimension(p_upload_id, p_entity_type);

  v_table := case p_entity_type when 'campaign' then 'campaigns' when 'ad_set' then 'ad_sets' else 'ads' end;
  v_parent_column := case p_entity_type when 'ad_set' then 'campaign_id' when 'ad' then 'ad_set_id' end;
  v_parent_id := case when v_parent_type is null then 'null::uuid'
                      else format('(select r.resolved_id from public.staging_id_resolution r where r.upload_id = $2 '
                                  'and r.entity_type = %L and r.external_id = e.parent_external_id)', v_parent_type) end;
  v_target_parent := case when v_parent_column is null then 'null::uuid' else format('t.%I', v_parent_column) end;

  if v_upload.mode = 'COMMIT' then
    -- Created and renamed/moved entities: the upsert returns exactly those ($1 workspace, $2 upload,
    -- $3 client, $4 platform, $5 entity type).
    execute format(
      'with up as (
         insert into public.%1$I as t (workspace_id, client_id, platform, external_id, name%2$s)
         select $1, $3, $4, e.external_id, e.name%3$s
         from metricdrop_private.upload_entities($2, $5) e
         on conflict (workspace_id, client_id, platform, external_id)
         do update set name = excluded.name%4$s, updated_at = now()
         where (t.name, %5$s) is distinct from (excluded.name, %6$s)
         returning t.id, t.external_id, (t.xmax = 0) as inserted)
       insert into public.staging_id_resolution (workspace_id, upload_id, entity_type, external_id, resolved_id, action)
       select $1, $2, $5, up.external_id, up.id, case when up.inserted then ''created'' else ''updated'' end from up',
      v_table,
      case when v_parent_column is null then '' else format(', %I', v_parent_column) end,
      case when v_parent_column is null then '' else ', ' || v_parent_id end,
      case when v_parent_column is null then '' else format(', %1$I = excluded.%1$I', v_parent_column) end,
      v_target_parent,
      case when v_parent_column is null then 'null::uuid' else format('excluded.%I', v_parent_column) end)
    using v_upload.workspace_id, p_upload_id, v_upload.client_id, v_upload.platform, p_entity_type;
    -- The rest already existed unchanged.
    execute format(
      'insert into public.staging_id_resolution (workspace_id, upload_id, entity_type, external_id, resolved_id, action)
       select $1, $2, $5, e.external_id,
              (select t.id from public.%I t where t.workspace_id = $1 and t.client_id = $3 and t.platform = $4
                                              and t.external_id = e.external_id),
              ''existing''
       from metricdrop_private.upload_entities($2, $5) e
       where not exists (select 1 from public.staging_id_resolution r
                         where r.upload_id = $2 and r.entity_type = $5 and r.external_id = e.external_id)',
      v_table)
    using v_upload.workspace_id, p_upload_id, v_upload.client_id, v_upload.platform, p_entity_type;
  else
    -- Compare with what exists; write no dimension.
    execute format(
      'insert into public.staging_id_resolution (workspace_id, upload_id, entity_type, external_id, resolved_id, action)
       select $1, $2, $5, e.external_id, cur.id,
              case when cur.id is null then ''would_create''
                   when (cur.name, cur.parent_id) is distinct from (e.name, %2$s) then ''would_update''
                   else ''existing'' end
       from metricdrop_private.upload_entities($2, $5) e
       left join lateral (
         select t.id, t.name, %3$s as parent_id from public.%1$I t
         where t.workspace_id = $1 and t.client_id = $3 and t.platform = $4 and t.external_id = e.external_id
         limit 1) cur on true',
      v_table, v_parent_id, v_target_parent)
    using v_upload.workspace_id, p_upload_id, v_upload.client_id, v_upload.platform, p_entity_type;
  end if;

  select count(*) filter (where r.action in ('created', 'would_create')),
         count(*) filter (where r.action in ('updated', 'would_update')),
         count(*) filter (where r.action = 'existing')
  into v_create, v_update, v_unchanged
  from public.staging_id_resolution r
  where r.upload_id = p_upload_id and r.entity_type = p_entity_type;

  insert into public.upload_dimension_steps (upload_id, entity_type, workspace_id, creates, updates, unchanged)
  values (p_upload_id, p_entity_type, v_upload.workspace_id, v_create, v_update, v_unchanged);
  update public.data_uploads u
  set status = case when v_upload.mode = 'COMMIT' then 'committing' else 'staging' end
  where u.id = p_upload_id and u.status is distinct from case when v_upload.mode = 'COMMIT' then 'committing' else 'staging' end;

  return jsonb_build_object('entity_type', p_entity_type, 'create', v_create, 'update', v_update, 'unchanged', v_unchanged);
end
$$;
revoke all on function public.resolve_dimensions(uuid, text) from public, anon, authenticated, service_role;
grant execute on function public.resolve_dimensions(uuid, text) to authenticated;

insert into metricdrop_private.schema_versions (version, name) values ('011', 'ingest_dimensions');

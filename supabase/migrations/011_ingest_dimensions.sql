-- =====================================================================================================
-- 011 Ingest, stage 3: resolve_dimensions (campaigns, then ad sets, then ads; one transaction each)
-- =====================================================================================================

-- Refuses an upload whose staged rows repeat a fact's grain (same day, campaign, ad set and ad):
-- two rows would write one daily_metrics row, and which one wins would be an accident.
create function metricdrop_private.check_duplicate_rows(p_upload_id uuid)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v record;
begin
  select s.payload ->> 'date' as day, s.payload ->> 'campaign_external_id' as campaign,
         s.payload ->> 'ad_set_external_id' as ad_set, s.payload ->> 'ad_external_id' as ad,
         (array_agg(s.row_number order by s.row_number))[1:2] as rows
  into v
  from public.staging_rows s
  where s.upload_id = p_upload_id
  group by 1, 2, 3, 4
  having count(*) > 1
  order by min(s.row_number) limit 1;
  if v.rows is not null then
    perform metricdrop_private.refuse('DUPLICATE_ROW',
      format('Rows %s and %s are both for %s on %s: each day may appear once per campaign, ad set and ad. Remove one of them.',
             v.rows[1], v.rows[2],
             concat_ws(' / ', 'campaign ' || v.campaign, 'ad set ' || v.ad_set, 'ad ' || v.ad), v.day),
      jsonb_build_object('row', v.rows[2], 'first_row', v.rows[1]));
  end if;
end
$$;
revoke all on function metricdrop_private.check_duplicate_rows(uuid) from public, anon, authenticated, service_role;

-- Refuses an upload that gives one external id of p_entity_type two names or two parents
-- (read from staging_entities, the upload's distinct entity combinations).
create function metricdrop_private.check_conflicting_dimension(p_upload_id uuid, p_entity_type text)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v record;
  v_label text := case p_entity_type when 'campaign' then 'Campaign' when 'ad_set' then 'Ad set' else 'Ad' end;
  v_parent text := case p_entity_type when 'ad_set' then 'campaign' when 'ad' then 'ad set' end;
begin
  with versions as (
    select case p_entity_type when 'campaign' then e.campaign_external_id
                              when 'ad_set' then e.ad_set_external_id
                              else e.ad_external_id end as external_id,
           case p_entity_type when 'campaign' then e.campaign_name
                              when 'ad_set' then e.ad_set_name
                              else e.ad_name end as name,
           case p_entity_type when 'campaign' then null
                              when 'ad_set' then e.campaign_external_id
                              else e.ad_set_external_id end as parent,
           min(e.first_row) as first_row
    from public.staging_entities e
    where e.upload_id = p_upload_id
    group by 1, 2, 3
  ),
  ranked as (
    select x.*, row_number() over (partition by x.external_id order by x.first_row) as k
    from versions x
    where x.external_id is not null
  )
  select a.external_id, a.name as name_a, b.name as name_b, a.parent as parent_a, b.parent as parent_b,
         a.first_row as row_a, b.first_row as row_b
  into v
  from ranked a join ranked b on b.external_id = a.external_id and a.k = 1 and b.k = 2
  order by b.first_row limit 1;
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
-- first (they also check the whole upload for duplicate rows and fix the fact batches), then ad sets,
-- then ads. A replay returns the recorded counts.
-- Why definer: authenticated may not write dimensions; membership and role are checked here.
create function public.resolve_dimensions(p_upload_id uuid, p_entity_type text)
returns jsonb
language plpgsql
security definer
set search_path = ''
-- Plan each call for its own upload and batch: a cached generic plan, blind to how many rows the
-- upload has, once turned a 5 ms fact batch into seconds.
set plan_cache_mode = force_custom_plan
as $$
declare
  v_upload public.data_uploads;
  v_step public.upload_dimension_steps;
  v_staged integer;
  v_starts integer[];
  v_create integer;
  v_update integer;
  v_unchanged integer;
  v_commit boolean;
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
  if p_entity_type <> 'campaign' and not exists (
       select 1 from public.upload_dimension_steps d
       where d.upload_id = p_upload_id
         and d.entity_type = case p_entity_type when 'ad_set' then 'campaign' else 'ad_set' end) then
    perform metricdrop_private.refuse('UPLOAD_CONFLICT',
      case p_entity_type when 'ad_set' then 'Resolve campaigns before ad sets.' else 'Resolve ad sets before ads.' end);
  end if;
  v_commit := v_upload.mode = 'COMMIT';

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

  if p_entity_type = 'campaign' and v_commit then
    with src as (
      select e.campaign_external_id as external_id, min(e.campaign_name) as name
      from public.staging_entities e where e.upload_id = p_upload_id group by 1
    ), up as (
      insert into public.campaigns as c (workspace_id, client_id, platform, external_id, name)
      select v_upload.workspace_id, v_upload.client_id, v_upload.platform, src.external_id, src.name from src
      on conflict (workspace_id, client_id, platform, external_id)
      do update set name = excluded.name, updated_at = now()
      where c.name is distinct from excluded.name
      returning c.id, c.external_id, (c.xmax = 0) as inserted
    ), res as (
      insert into public.staging_id_resolution (workspace_id, upload_id, entity_type, external_id, resolved_id, action)
      select v_upload.workspace_id, p_upload_id, 'campaign', src.external_id, coalesce(up.id, c.id),
             case when up.id is null then 'existing' when up.inserted then 'created' else 'updated' end
      from src
      left join up on up.external_id = src.external_id
      left join public.campaigns c on c.workspace_id = v_upload.workspace_id and c.client_id = v_upload.client_id
                                  and c.platform = v_upload.platform and c.external_id = src.external_id
      returning action
    )
    select count(*) filter (where action = 'created'), count(*) filter (where action = 'updated'),
           count(*) filter (where action = 'existing')
    into v_create, v_update, v_unchanged from res;

  elsif p_entity_type = 'campaign' then
    with src as (
      select e.campaign_external_id as external_id, min(e.campaign_name) as name
      from public.staging_entities e where e.upload_id = p_upload_id group by 1
    ), res as (
      insert into public.staging_id_resolution (workspace_id, upload_id, entity_type, external_id, resolved_id, action)
      select v_upload.workspace_id, p_upload_id, 'campaign', src.external_id, c.id,
             case when c.id is null then 'would_create' when c.name is distinct from src.name then 'would_update'
                  else 'existing' end
      from src
      left join public.campaigns c on c.workspace_id = v_upload.workspace_id and c.client_id = v_upload.client_id
                                  and c.platform = v_upload.platform and c.external_id = src.external_id
      returning action
    )
    select count(*) filter (where action = 'would_create'), count(*) filter (where action = 'would_update'),
           count(*) filter (where action = 'existing')
    into v_create, v_update, v_unchanged from res;

  elsif p_entity_type = 'ad_set' and v_commit then
    with src as (
      select x.external_id, x.name, r.resolved_id as campaign_id
      from (select e.ad_set_external_id as external_id, min(e.ad_set_name) as name, min(e.campaign_external_id) as parent
            from public.staging_entities e where e.upload_id = p_upload_id and e.ad_set_external_id is not null
            group by 1) x
      join public.staging_id_resolution r on r.upload_id = p_upload_id and r.entity_type = 'campaign'
                                         and r.external_id = x.parent
    ), up as (
      insert into public.ad_sets as a (workspace_id, client_id, platform, external_id, name, campaign_id)
      select v_upload.workspace_id, v_upload.client_id, v_upload.platform, src.external_id, src.name, src.campaign_id
      from src
      on conflict (workspace_id, client_id, platform, external_id)
      do update set name = excluded.name, campaign_id = excluded.campaign_id, updated_at = now()
      where (a.name, a.campaign_id) is distinct from (excluded.name, excluded.campaign_id)
      returning a.id, a.external_id, (a.xmax = 0) as inserted
    ), res as (
      insert into public.staging_id_resolution (workspace_id, upload_id, entity_type, external_id, resolved_id, action)
      select v_upload.workspace_id, p_upload_id, 'ad_set', src.external_id, coalesce(up.id, a.id),
             case when up.id is null then 'existing' when up.inserted then 'created' else 'updated' end
      from src
      left join up on up.external_id = src.external_id
      left join public.ad_sets a on a.workspace_id = v_upload.workspace_id and a.client_id = v_upload.client_id
                                and a.platform = v_upload.platform and a.external_id = src.external_id
      returning action
    )
    select count(*) filter (where action = 'created'), count(*) filter (where action = 'updated'),
           count(*) filter (where action = 'existing')
    into v_create, v_update, v_unchanged from res;

  elsif p_entity_type = 'ad_set' then
    with src as (
      select x.external_id, x.name, r.resolved_id as campaign_id
      from (select e.ad_set_external_id as external_id, min(e.ad_set_name) as name, min(e.campaign_external_id) as parent
            from public.staging_entities e where e.upload_id = p_upload_id and e.ad_set_external_id is not null
            group by 1) x
      join public.staging_id_resolution r on r.upload_id = p_upload_id and r.entity_type = 'campaign'
                                         and r.external_id = x.parent
    ), res as (
      insert into public.staging_id_resolution (workspace_id, upload_id, entity_type, external_id, resolved_id, action)
      select v_upload.workspace_id, p_upload_id, 'ad_set', src.external_id, a.id,
             case when a.id is null then 'would_create'
                  when (a.name, a.campaign_id) is distinct from (src.name, src.campaign_id) then 'would_update'
                  else 'existing' end
      from src
      left join public.ad_sets a on a.workspace_id = v_upload.workspace_id and a.client_id = v_upload.client_id
                                and a.platform = v_upload.platform and a.external_id = src.external_id
      returning action
    )
    select count(*) filter (where action = 'would_create'), count(*) filter (where action = 'would_update'),
           count(*) filter (where action = 'existing')
    into v_create, v_update, v_unchanged from res;

  elsif v_commit then
    with src as (
      select x.external_id, x.name, r.resolved_id as ad_set_id
      from (select e.ad_external_id as external_id, min(e.ad_name) as name, min(e.ad_set_external_id) as parent
            from public.staging_entities e where e.upload_id = p_upload_id and e.ad_external_id is not null
            group by 1) x
      join public.staging_id_resolution r on r.upload_id = p_upload_id and r.entity_type = 'ad_set'
                                         and r.external_id = x.parent
    ), up as (
      insert into public.ads as a (workspace_id, client_id, platform, external_id, name, ad_set_id)
      select v_upload.workspace_id, v_upload.client_id, v_upload.platform, src.external_id, src.name, src.ad_set_id
      from src
      on conflict (workspace_id, client_id, platform, external_id)
      do update set name = excluded.name, ad_set_id = excluded.ad_set_id, updated_at = now()
      where (a.name, a.ad_set_id) is distinct from (excluded.name, excluded.ad_set_id)
      returning a.id, a.external_id, (a.xmax = 0) as inserted
    ), res as (
      insert into public.staging_id_resolution (workspace_id, upload_id, entity_type, external_id, resolved_id, action)
      select v_upload.workspace_id, p_upload_id, 'ad', src.external_id, coalesce(up.id, a.id),
             case when up.id is null then 'existing' when up.inserted then 'created' else 'updated' end
      from src
      left join up on up.external_id = src.external_id
      left join public.ads a on a.workspace_id = v_upload.workspace_id and a.client_id = v_upload.client_id
                            and a.platform = v_upload.platform and a.external_id = src.external_id
      returning action
    )
    select count(*) filter (where action = 'created'), count(*) filter (where action = 'updated'),
           count(*) filter (where action = 'existing')
    into v_create, v_update, v_unchanged from res;

  else
    with src as (
      select x.external_id, x.name, r.resolved_id as ad_set_id
      from (select e.ad_external_id as external_id, min(e.ad_name) as name, min(e.ad_set_external_id) as parent
            from public.staging_entities e where e.upload_id = p_upload_id and e.ad_external_id is not null
            group by 1) x
      join public.staging_id_resolution r on r.upload_id = p_upload_id and r.entity_type = 'ad_set'
                                         and r.external_id = x.parent
    ), res as (
      insert into public.staging_id_resolution (workspace_id, upload_id, entity_type, external_id, resolved_id, action)
      select v_upload.workspace_id, p_upload_id, 'ad', src.external_id, a.id,
             case when a.id is null then 'would_create'
                  when (a.name, a.ad_set_id) is distinct from (src.name, src.ad_set_id) then 'would_update'
                  else 'existing' end
      from src
      left join public.ads a on a.workspace_id = v_upload.workspace_id and a.client_id = v_upload.client_id
                            and a.platform = v_upload.platform and a.external_id = src.external_id
      returning action
    )
    select count(*) filter (where action = 'would_create'), count(*) filter (where action = 'would_update'),
           count(*) filter (where action = 'existing')
    into v_create, v_update, v_unchanged from res;
  end if;

  insert into public.upload_dimension_steps (upload_id, entity_type, workspace_id, creates, updates, unchanged)
  values (p_upload_id, p_entity_type, v_upload.workspace_id, v_create, v_update, v_unchanged);
  update public.data_uploads u
  set status = case when v_commit then 'committing' else 'staging' end
  where u.id = p_upload_id and u.status is distinct from case when v_commit then 'committing' else 'staging' end;

  return jsonb_build_object('entity_type', p_entity_type, 'create', v_create, 'update', v_update, 'unchanged', v_unchanged);
end
$$;
revoke all on function public.resolve_dimensions(uuid, text) from public, anon, authenticated, service_role;
grant execute on function public.resolve_dimensions(uuid, text) to authenticated;

insert into metricdrop_private.schema_versions (version, name) values ('011', 'ingest_dimensions');

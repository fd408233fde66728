-- =====================================================================================================
-- 030 Dimensions matched by name; resolve_dimensions split into steps short enough to read
--
-- An export without a usable ID column for a level (none exported, or rounded by a spreadsheet to
-- 1.20216E+17) keys that level by name: its external id is `name:` + 48 hex digits of SHA-256 over
-- the parent's external id, a zero byte and the name (shared/name-key.ts; name_key() below). Such
-- an entity is resolved against the client's existing entities of the platform by name (an ad set
-- or ad under its resolved parent): one of that name: that entity; several: CONFLICTING_DIMENSION
-- naming them; none: created under the derived key (the plan's byName says so). The other way
-- round, an entity with a real ID that is not known by it adopts the one entity of its name that was
-- created by name, so uploading the rounded copy first and the original later keeps one campaign.
-- The fact batches are no longer fixed here (write_facts does it, 031).
-- =====================================================================================================

-- What the name matching found, per dimension step: {matched, created, matched_names, created_names}.
alter table public.upload_dimension_steps add column by_name jsonb;
-- Campaigns are looked up by name (ad sets and ads by their parent's index, then name). A hash
-- index: a btree entry cannot hold 1,024 characters of four-byte UTF-8.
create index campaigns_name_hash_idx on public.campaigns using hash (name);

-- The external id of an entity matched by name (the same as the app's nameKey()).
create function metricdrop_private.name_key(p_parent_external_id text, p_name text)
returns text
language sql
immutable
set search_path = ''
as $$
  select 'name:' || left(encode(sha256(convert_to(coalesce(p_parent_external_id, ''), 'UTF8') || '\x00'::bytea
                                       || convert_to(p_name, 'UTF8')), 'hex'), 48)
$$;
revoke all on function metricdrop_private.name_key(text, text) from public, anon, authenticated, service_role;

-- The dimension table, parent column and parent entity type of an entity type (the one mapping).
create function metricdrop_private.dimension_of(p_entity_type text, out tbl text, out parent_column text, out parent_type text)
language sql
immutable
set search_path = ''
as $$
  select case p_entity_type when 'campaign' then 'campaigns' when 'ad_set' then 'ad_sets' else 'ads' end,
         case p_entity_type when 'ad_set' then 'campaign_id' when 'ad' then 'ad_set_id' end,
         case p_entity_type when 'ad_set' then 'campaign' when 'ad' then 'ad_set' end
$$;
revoke all on function metricdrop_private.dimension_of(text) from public, anon, authenticated, service_role;

-- The answer recorded for a dimension step already done, or null (after checking the entity type).
create function metricdrop_private.recorded_dimension_step(p_upload_id uuid, p_entity_type text)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_step public.upload_dimension_steps;
begin
  if p_entity_type is null or p_entity_type not in ('campaign', 'ad_set', 'ad') then
    perform metricdrop_private.refuse('INVALID_INPUT',
      format('The entity type must be campaign, ad_set or ad, not %s.', coalesce(p_entity_type, 'nothing')));
  end if;
  select * into v_step from public.upload_dimension_steps d where d.upload_id = p_upload_id and d.entity_type = p_entity_type;
  if v_step.upload_id is null then
    return null;
  end if;
  return jsonb_build_object('entity_type', p_entity_type, 'create', v_step.creates, 'update', v_step.updates,
                            'unchanged', v_step.unchanged)
         || case when v_step.by_name is null then '{}'::jsonb else jsonb_build_object('by_name', v_step.by_name) end;
end
$$;
revoke all on function metricdrop_private.recorded_dimension_step(uuid, text) from public, anon, authenticated, service_role;

-- Refuses a dimension step the upload is not ready for: past that stage, or its parent type not done.
create function metricdrop_private.check_dimension_order(p_upload public.data_uploads, p_entity_type text)
returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  v_parent_type text := (metricdrop_private.dimension_of(p_entity_type)).parent_type;
begin
  if p_upload.status not in ('pending', 'staging', 'committing') then
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
revoke all on function metricdrop_private.check_dimension_order(public.data_uploads, text) from public, anon, authenticated, service_role;

-- Before campaigns: every row staged, no fact grain twice, and the upload's distinct entities
-- collected once into staging_entities for the three dimension steps.
create function metricdrop_private.collect_entities(p_upload public.data_uploads)
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
revoke all on function metricdrop_private.collect_entities(public.data_uploads) from public, anon, authenticated, service_role;

-- Refuses an entity keyed by name whose key is not the one its name and parent give: the key is
-- what the facts join on, so one name must have one key.
create function metricdrop_private.check_name_keys(p_upload_id uuid, p_entity_type text)
returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  v record;
begin
  select r.external_id, r.first_row into v
  from metricdrop_private.entity_rows(p_upload_id, p_entity_type) r
  where r.external_id like 'name:%' and r.external_id <> metricdrop_private.name_key(r.parent_external_id, r.name)
  order by r.first_row limit 1;
  if v.first_row is not null then
    perform metricdrop_private.refuse('INVALID_VALUE',
      format('Row %s: the %s key %s is not the one its name gives. Validate the file again with this version of metricdrop.',
             v.first_row, replace(p_entity_type, '_', ' '), v.external_id),
      jsonb_build_object('row', v.first_row, 'entity_type', p_entity_type));
  end if;
end
$$;
revoke all on function metricdrop_private.check_name_keys(uuid, text) from public, anon, authenticated, service_role;

-- The client's existing entities of the upload's platform that an upload entity could be by name:
-- same name and, for an ad set or ad, under the dimension row its parent resolved to. $1 workspace,
-- $2 upload, $3 client, $4 platform, $5 entity type; e is the upload entity, t the dimension row.
create function metricdrop_private.same_name_sql(p_entity_type text)
returns text
language sql
immutable
set search_path = ''
as $$
  select format('t.workspace_id = $1 and t.client_id = $3 and t.platform = $4 and t.name = e.name%s',
                case when d.parent_column is null then ''
                     else format(' and t.%I = (select r.resolved_id from public.staging_id_resolution r where r.upload_id = $2 '
                                 'and r.entity_type = %L and r.external_id = e.parent_external_id)', d.parent_column, d.parent_type) end)
  from metricdrop_private.dimension_of(p_entity_type) d
$$;
revoke all on function metricdrop_private.same_name_sql(text) from public, anon, authenticated, service_role;

-- Entities keyed by name: each resolves to the one existing entity of its name (recorded as
-- existing); several of that name refuse the upload, naming them; none leaves it to be created.
create function metricdrop_private.match_by_name(p_upload public.data_uploads, p_entity_type text)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v record;
begin
  execute format(
    'select e.name, min(r.first_row) as first_row, array_agg(distinct t.external_id order by t.external_id) as ids
     from metricdrop_private.upload_entities($2, $5) e
     join public.%I t on %s
     join metricdrop_private.entity_rows($2, $5) r on r.external_id = e.external_id
     where e.external_id like ''name:%%''
     group by e.external_id, e.name
     having count(distinct t.id) > 1
     order by 2 limit 1',
    (metricdrop_private.dimension_of(p_entity_type)).tbl, metricdrop_private.same_name_sql(p_entity_type))
  into v
  using p_upload.workspace_id, p_upload.id, p_upload.client_id, p_upload.platform, p_entity_type;
  if v.first_row is not null then
    perform metricdrop_private.refuse('CONFLICTING_DIMENSION',
      format('Row %s: "%s" has no usable ID in this file, so it is matched by name, but this client already has %s %ss of that name (IDs %s). Upload the export as downloaded, with its ID column, so each row finds its own.',
             v.first_row, v.name, cardinality(v.ids), replace(p_entity_type, '_', ' '), array_to_string(v.ids, ', ')),
      jsonb_build_object('row', v.first_row, 'entity_type', p_entity_type, 'name', v.name, 'external_ids', to_jsonb(v.ids)));
  end if;
  execute format(
    'insert into public.staging_id_resolution (workspace_id, upload_id, entity_type, external_id, resolved_id, action)
     select $1, $2, $5, e.external_id, t.id, ''existing''
     from metricdrop_private.upload_entities($2, $5) e
     join public.%I t on %s
     where e.external_id like ''name:%%''',
    (metricdrop_private.dimension_of(p_entity_type)).tbl, metricdrop_private.same_name_sql(p_entity_type))
  using p_upload.workspace_id, p_upload.id, p_upload.client_id, p_upload.platform, p_entity_type;
end
$$;
revoke all on function metricdrop_private.match_by_name(public.data_uploads, text) from public, anon, authenticated, service_role;

-- Entities with a real ID not known by it: the one entity of their name that was created by name
-- takes the ID (COMMIT: updated; dry run: would_update), instead of a second entity beside it.
create function metricdrop_private.adopt_name_keyed(p_upload public.data_uploads, p_entity_type text)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_table text := (metricdrop_private.dimension_of(p_entity_type)).tbl;
begin
  execute format(
    'with candidate as (
       select e.external_id, min(t.id::text)::uuid as id
       from metricdrop_private.upload_entities($2, $5) e
       join public.%1$I t on %2$s and t.external_id like ''name:%%''
       where e.external_id not like ''name:%%''
         and not exists (select 1 from public.%1$I k where k.workspace_id = $1 and k.client_id = $3
                                                       and k.platform = $4 and k.external_id = e.external_id)
       group by e.external_id
       having count(*) = 1),
     -- Two IDs of one name: neither takes the entity (each is created; the plan shows them).
     adoptable as (
       select c.* from candidate c where (select count(*) from candidate o where o.id = c.id) = 1),
     adopted as (
       update public.%1$I t set external_id = a.external_id, updated_at = now()
       from adoptable a where t.id = a.id and $6
       returning t.id)
     insert into public.staging_id_resolution (workspace_id, upload_id, entity_type, external_id, resolved_id, action)
     select $1, $2, $5, a.external_id, a.id, case when $6 then ''updated'' else ''would_update'' end
     from adoptable a
     where not $6 or a.id in (select adopted.id from adopted)',
    v_table, metricdrop_private.same_name_sql(p_entity_type))
  using p_upload.workspace_id, p_upload.id, p_upload.client_id, p_upload.platform, p_entity_type, p_upload.mode = 'COMMIT';
end
$$;
revoke all on function metricdrop_private.adopt_name_keyed(public.data_uploads, text) from public, anon, authenticated, service_role;

-- SQL for the resolved id of entity e's parent (null::uuid for campaigns) and for dimension row t's
-- current parent column.
create function metricdrop_private.parent_sql(p_entity_type text, out resolved text, out current_value text)
language sql
immutable
set search_path = ''
as $$
  select case when d.parent_type is null then 'null::uuid'
              else format('(select r.resolved_id from public.staging_id_resolution r where r.upload_id = $2 '
                          'and r.entity_type = %L and r.external_id = e.parent_external_id)', d.parent_type) end,
         case when d.parent_column is null then 'null::uuid' else format('t.%I', d.parent_column) end
  from metricdrop_private.dimension_of(p_entity_type) d
$$;
revoke all on function metricdrop_private.parent_sql(text) from public, anon, authenticated, service_role;

-- COMMIT: upserts the entities not resolved yet by natural key (a new name or parent is an update;
-- an unchanged row is not rewritten) and records created/updated/existing for each.
create function metricdrop_private.upsert_dimensions(p_upload public.data_uploads, p_entity_type text)
returns void
language plpgsql
set search_path = ''
as $$
declare
  d record;
  p record;
  v_pending text := 'not exists (select 1 from public.staging_id_resolution r where r.upload_id = $2 and r.entity_type = $5 and r.external_id = e.external_id)';
begin
  select * into d from metricdrop_private.dimension_of(p_entity_type);
  select * into p from metricdrop_private.parent_sql(p_entity_type);
  execute format(
    'with up as (
       insert into public.%1$I as t (workspace_id, client_id, platform, external_id, name%2$s)
       select $1, $3, $4, e.external_id, e.name%3$s
       from metricdrop_private.upload_entities($2, $5) e
       where %7$s
       on conflict (workspace_id, client_id, platform, external_id)
       do update set name = excluded.name%4$s, updated_at = now()
       where (t.name, %5$s) is distinct from (excluded.name, %6$s)
       returning t.id, t.external_id, (t.xmax = 0) as inserted)
     insert into public.staging_id_resolution (workspace_id, upload_id, entity_type, external_id, resolved_id, action)
     select $1, $2, $5, up.external_id, up.id, case when up.inserted then ''created'' else ''updated'' end from up',
    d.tbl,
    case when d.parent_column is null then '' else format(', %I', d.parent_column) end,
    case when d.parent_column is null then '' else ', ' || p.resolved end,
    case when d.parent_column is null then '' else format(', %1$I = excluded.%1$I', d.parent_column) end,
    p.current_value,
    case when d.parent_column is null then 'null::uuid' else format('excluded.%I', d.parent_column) end,
    v_pending)
  using p_upload.workspace_id, p_upload.id, p_upload.client_id, p_upload.platform, p_entity_type;
  -- The rest already existed unchanged.
  execute format(
    'insert into public.staging_id_resolution (workspace_id, upload_id, entity_type, external_id, resolved_id, action)
     select $1, $2, $5, e.external_id,
            (select t.id from public.%I t where t.workspace_id = $1 and t.client_id = $3 and t.platform = $4
                                            and t.external_id = e.external_id),
            ''existing''
     from metricdrop_private.upload_entities($2, $5) e
     where %s',
    d.tbl, v_pending)
  using p_upload.workspace_id, p_upload.id, p_upload.client_id, p_upload.platform, p_entity_type;
end
$$;
revoke all on function metricdrop_private.upsert_dimensions(public.data_uploads, text) from public, anon, authenticated, service_role;

-- FULL_DRY_RUN: records would_create/would_update/existing for the entities not resolved yet,
-- comparing with what exists; writes no dimension.
create function metricdrop_private.plan_dimensions(p_upload public.data_uploads, p_entity_type text)
returns void
language plpgsql
set search_path = ''
as $$
declare
  p record;
begin
  select * into p from metricdrop_private.parent_sql(p_entity_type);
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
       limit 1) cur on true
     where not exists (select 1 from public.staging_id_resolution r
                       where r.upload_id = $2 and r.entity_type = $5 and r.external_id = e.external_id)',
    (metricdrop_private.dimension_of(p_entity_type)).tbl, p.resolved, p.current_value)
  using p_upload.workspace_id, p_upload.id, p_upload.client_id, p_upload.platform, p_entity_type;
end
$$;
revoke all on function metricdrop_private.plan_dimensions(public.data_uploads, text) from public, anon, authenticated, service_role;

-- What name matching did in one step: counts and the first 20 names of each kind, in file order;
-- null when the step has no entity keyed by name.
create function metricdrop_private.by_name_summary(p_upload_id uuid, p_entity_type text)
returns jsonb
language sql
stable
set search_path = ''
as $$
  with keyed as (
    select e.name, r.action, min(x.first_row) as first_row
    from public.staging_id_resolution r
    join metricdrop_private.upload_entities(p_upload_id, p_entity_type) e on e.external_id = r.external_id
    join metricdrop_private.entity_rows(p_upload_id, p_entity_type) x on x.external_id = r.external_id
    where r.upload_id = p_upload_id and r.entity_type = p_entity_type and r.external_id like 'name:%'
    group by r.external_id, e.name, r.action)
  select case when count(*) > 0 then jsonb_build_object(
    'matched', count(*) filter (where k.action = 'existing'),
    'created', count(*) filter (where k.action in ('created', 'would_create')),
    'matched_names', coalesce((select jsonb_agg(m.name order by m.first_row) from (select * from keyed where action = 'existing' order by first_row limit 20) m), '[]'),
    'created_names', coalesce((select jsonb_agg(c.name order by c.first_row) from (select * from keyed where action in ('created', 'would_create') order by first_row limit 20) c), '[]')) end
  from keyed k
$$;
revoke all on function metricdrop_private.by_name_summary(uuid, text) from public, anon, authenticated, service_role;

-- Records a finished dimension step (counts from the resolution) and moves the upload's status on.
create function metricdrop_private.record_dimension_step(p_upload public.data_uploads, p_entity_type text)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_step public.upload_dimension_steps;
  v_status text := case when p_upload.mode = 'COMMIT' then 'committing' else 'staging' end;
begin
  insert into public.upload_dimension_steps (upload_id, entity_type, workspace_id, creates, updates, unchanged, by_name)
  select p_upload.id, p_entity_type, p_upload.workspace_id,
         count(*) filter (where r.action in ('created', 'would_create')),
         count(*) filter (where r.action in ('updated', 'would_update')),
         count(*) filter (where r.action = 'existing'),
         metricdrop_private.by_name_summary(p_upload.id, p_entity_type)
  from public.staging_id_resolution r
  where r.upload_id = p_upload.id and r.entity_type = p_entity_type
  returning * into v_step;
  update public.data_uploads u set status = v_status where u.id = p_upload.id and u.status is distinct from v_status;
  return metricdrop_private.recorded_dimension_step(p_upload.id, p_entity_type);
end
$$;
revoke all on function metricdrop_private.record_dimension_step(public.data_uploads, text) from public, anon, authenticated, service_role;

-- Resolves one entity type of an upload: campaigns, then ad sets, then ads, one transaction each.
-- COMMIT writes campaigns/ad_sets/ads and records created/updated/existing per external id;
-- FULL_DRY_RUN records would_create/would_update/existing and writes no dimension. Entities keyed
-- by name are matched by name first (see the top of this file). A replay returns the recorded
-- answer. The steps' statements that join run through EXECUTE, planned for their own upload (see
-- supabase/README.md, performance notes).
-- Why definer: authenticated may not write dimensions; membership and role are checked here.
create or replace function public.resolve_dimensions(p_upload_id uuid, p_entity_type text)
returns jsonb
language plpgsql
security definer
set search_path = ''
-- The duplicate check groups every staged row: room to hash 100,000 rows instead of sorting on disk.
set work_mem = '64MB'
as $$
declare
  v_upload public.data_uploads := metricdrop_private.upload_for_write(p_upload_id, true);
  v_recorded jsonb := metricdrop_private.recorded_dimension_step(p_upload_id, p_entity_type);
begin
  if v_recorded is not null then
    return v_recorded;
  end if;
  perform metricdrop_private.check_dimension_order(v_upload, p_entity_type);
  if p_entity_type = 'campaign' then
    perform metricdrop_private.collect_entities(v_upload);
  end if;
  perform metricdrop_private.check_conflicting_dimension(p_upload_id, p_entity_type);
  perform metricdrop_private.check_name_keys(p_upload_id, p_entity_type);
  perform metricdrop_private.match_by_name(v_upload, p_entity_type);
  perform metricdrop_private.adopt_name_keyed(v_upload, p_entity_type);
  if v_upload.mode = 'COMMIT' then
    perform metricdrop_private.upsert_dimensions(v_upload, p_entity_type);
  else
    perform metricdrop_private.plan_dimensions(v_upload, p_entity_type);
  end if;
  return metricdrop_private.record_dimension_step(v_upload, p_entity_type);
end
$$;

-- The plan's counts of one dimension step, with what name matching did (byName) when it ran.
create or replace function metricdrop_private.step_counts(p_upload_id uuid, p_entity_type text)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce((select jsonb_build_object('create', d.creates, 'update', d.updates, 'unchanged', d.unchanged)
                          || case when d.by_name is not null
                                  then jsonb_build_object('byName', jsonb_build_object(
                                         'matched', (d.by_name ->> 'matched')::integer, 'created', (d.by_name ->> 'created')::integer,
                                         'matchedNames', d.by_name -> 'matched_names', 'createdNames', d.by_name -> 'created_names'))
                                  else '{}'::jsonb end
                   from public.upload_dimension_steps d
                   where d.upload_id = p_upload_id and d.entity_type = p_entity_type),
                  jsonb_build_object('create', 0, 'update', 0, 'unchanged', 0))
$$;

insert into metricdrop_private.schema_versions (version, name) values ('030', 'dimensions_by_name');

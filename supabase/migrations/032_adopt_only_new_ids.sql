-- =====================================================================================================
-- 032 adopt_name_keyed() looks for an entity created by name only when the upload has entities with
-- a real ID that are not known by it (new ones): a re-upload, the usual case, joins nothing.
-- =====================================================================================================

create or replace function metricdrop_private.adopt_name_keyed(p_upload public.data_uploads, p_entity_type text)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_table text := (metricdrop_private.dimension_of(p_entity_type)).tbl;
  v_new boolean;
begin
  -- Per entity through the natural-key index, as the upsert's own conflict check does.
  execute format(
    'select exists (select 1 from metricdrop_private.upload_entities($2, $5) e
                    where e.external_id not like ''name:%%''
                      and not exists (select 1 from public.%I k where k.workspace_id = $1 and k.client_id = $3
                                                               and k.platform = $4 and k.external_id = e.external_id))',
    v_table)
  into v_new
  using p_upload.workspace_id, p_upload.id, p_upload.client_id, p_upload.platform, p_entity_type;
  if not v_new then
    return;
  end if;
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

insert into metricdrop_private.schema_versions (version, name) values ('032', 'adopt_only_new_ids');

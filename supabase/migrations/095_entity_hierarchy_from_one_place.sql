-- =====================================================================================================
-- 095 The entity hierarchy asked of dimension_of() by the checks that wrote it again
--
-- dimension_of() (030) is the one mapping of an entity type to its table, parent column and parent
-- type. Two checks still wrote the hierarchy out themselves: check_conflicting_dimension (011) each
-- type's parent and its name in words, as case blocks, and check_dimension_order (030, 092) which
-- type comes before which, in its message. Both now ask dimension_of() for the parent type, and
-- entity_words(), added here, for a type's name in words (an entity type's name with spaces:
-- 'ad_set' is "ad set"). Same checks, codes and sentences.
-- =====================================================================================================

-- An entity type in words, as the refusals write it: "campaign", "ad set", "ad".
create function metricdrop_private.entity_words(p_entity_type text) returns text
language sql immutable set search_path = '' as $$ select replace(p_entity_type, '_', ' ') $$;
revoke all on function metricdrop_private.entity_words(text) from public, anon, authenticated, service_role;

-- check_conflicting_dimension as in 011, the parent type from dimension_of() and the words from
-- entity_words().
create or replace function metricdrop_private.check_conflicting_dimension(p_upload_id uuid, p_entity_type text)
returns void
language plpgsql
set search_path = ''
set plan_cache_mode = force_custom_plan
as $$
declare
  v record;
  v_words text := metricdrop_private.entity_words(p_entity_type);
  v_label text := upper(left(v_words, 1)) || substr(v_words, 2);
  v_parent text := metricdrop_private.entity_words((metricdrop_private.dimension_of(p_entity_type)).parent_type);
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
           v_label, v.external_id, v_parent, v.parent_a, v.row_a, v.parent_b, v.row_b, v_words, v_parent),
    jsonb_build_object('row', v.row_b, 'first_row', v.row_a, 'entity_type', p_entity_type, 'external_id', v.external_id));
end
$$;

-- check_dimension_order as in 092, its message from the parent type dimension_of() gives.
create or replace function metricdrop_private.check_dimension_order(p_upload public.data_uploads, p_entity_type text)
returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  v_parent_type text := (metricdrop_private.dimension_of(p_entity_type)).parent_type;
begin
  if p_upload.status <> all (metricdrop_private.unfinished_upload_statuses()) then
    perform metricdrop_private.refuse('UPLOAD_CONFLICT',
      format('This upload is %s: its dimensions can no longer be resolved.', p_upload.status));
  end if;
  if v_parent_type is not null and not exists (
       select 1 from public.upload_dimension_steps d where d.upload_id = p_upload.id and d.entity_type = v_parent_type) then
    perform metricdrop_private.refuse('UPLOAD_CONFLICT',
      format('Resolve %ss before %ss.', metricdrop_private.entity_words(v_parent_type), metricdrop_private.entity_words(p_entity_type)));
  end if;
end
$$;

select metricdrop_private.record_migration('095', 'entity_hierarchy_from_one_place');

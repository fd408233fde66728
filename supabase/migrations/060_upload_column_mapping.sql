-- =====================================================================================================
-- 060 The column mapping an upload's file was read with, in data_uploads.summary (issue 8)
--
-- A file whose columns the user placed by hand (a renamed column, a custom preset, a UI language
-- without a header table, a header several platforms write) is uploaded with that mapping recorded
-- in `summary.column_mapping`: { "platform", "fields": { "<canonical field>": "<header as written>" },
-- "confirmed_at", "source" }, so whoever reads the upload later sees how its numbers were read.
-- The app calls note_upload_mapping() before finish_upload() (also after promote_upload(), which
-- starts the summary afresh); finish_upload() keeps every key it does not write.
-- =====================================================================================================

-- Why definer: authenticated may not update data_uploads; the caller must be the uploader.
create function public.note_upload_mapping(p_upload_id uuid, p_mapping jsonb)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_upload public.data_uploads := metricdrop_private.member_upload(p_upload_id, true);
begin
  if v_upload.uploaded_by <> metricdrop_private.caller() then
    perform metricdrop_private.refuse('NOT_AUTHORIZED', 'Only the member who began this upload can record how its columns were read.');
  end if;
  if p_mapping is null or jsonb_typeof(p_mapping) <> 'object'
     or jsonb_typeof(p_mapping -> 'fields') is distinct from 'object'
     or (p_mapping ->> 'platform') is distinct from v_upload.platform
     or octet_length(p_mapping::text) > 8192 then
    perform metricdrop_private.refuse('INVALID_INPUT',
      'The column mapping must be an object with this upload''s platform and its fields (at most 8 KB).');
  end if;
  if v_upload.status in ('completed', 'failed', 'expired') then
    -- Replayed after its answer was lost, or too late: the summary stays as it is.
    return jsonb_build_object('id', v_upload.id, 'column_mapping', v_upload.summary -> 'column_mapping');
  end if;
  update public.data_uploads u
  set summary = u.summary || jsonb_build_object('column_mapping', p_mapping)
  where u.id = p_upload_id
  returning * into v_upload;
  return jsonb_build_object('id', v_upload.id, 'column_mapping', v_upload.summary -> 'column_mapping');
end
$$;
revoke all on function public.note_upload_mapping(uuid, jsonb) from public, anon, authenticated, service_role;
grant execute on function public.note_upload_mapping(uuid, jsonb) to authenticated;

insert into metricdrop_private.schema_versions (version, name) values ('060', 'upload_column_mapping');

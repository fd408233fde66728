-- =====================================================================================================
-- 074 The private helpers that take a role or an entity type take its domain (071)
--
-- role_rank(), require_role() and entity_rank() took text, so a misspelt role ranked 0 (and
-- require_role(..., 'memebr') would have let every member through) and a misspelt entity type
-- ranked null; with the domain the mistake is a check violation naming the domain, at the call. Callers
-- pass text as before (text converts to a domain over text implicitly). The same body; re-created
-- because a parameter's type cannot be replaced. workspaces_of() keeps text: every policy depends on
-- it, and its callers pass literals. The API's functions keep text parameters (see 071).
-- =====================================================================================================

drop function metricdrop_private.role_rank(text);
create function metricdrop_private.role_rank(p_role metricdrop_private.workspace_role)
returns integer
language sql
immutable
set search_path = ''
as $$
  select coalesce(array_position(metricdrop_private.workspace_roles(), p_role::text), 0)
$$;

drop function metricdrop_private.entity_rank(text);
create function metricdrop_private.entity_rank(p_entity_type metricdrop_private.entity_type)
returns integer
language sql
immutable
set search_path = ''
as $$
  select array_position(metricdrop_private.entity_types(), p_entity_type::text)
$$;

-- The caller's role in a workspace, refusing NOT_AUTHORIZED below p_min_role (007's body).
drop function metricdrop_private.require_role(uuid, text);
create function metricdrop_private.require_role(p_workspace_id uuid, p_min_role metricdrop_private.workspace_role)
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

revoke all on function metricdrop_private.role_rank(metricdrop_private.workspace_role),
  metricdrop_private.entity_rank(metricdrop_private.entity_type),
  metricdrop_private.require_role(uuid, metricdrop_private.workspace_role)
  from public, anon, authenticated, service_role;

select metricdrop_private.record_migration('074', 'domain_parameters');

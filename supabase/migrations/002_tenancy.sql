-- =====================================================================================================
-- 002 Tenancy: workspaces (agencies), their members, and clients (advertisers)
--
-- Every tenant table is scoped by workspace_id. Policies ask "is the caller a member of this row's
-- workspace?" through metricdrop_private.workspaces_of(), a SECURITY DEFINER lookup, because a policy
-- on workspace_members that queried workspace_members would recurse.
-- =====================================================================================================

create table public.workspaces (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(btrim(name)) between 1 and 200),
  created_at timestamptz not null default now()
);
comment on table public.workspaces is 'An agency. Members upload and read the data of its clients.';

create table public.workspace_members (
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null check (role in ('owner', 'admin', 'member', 'viewer')),
  created_at timestamptz not null default now(),
  primary key (workspace_id, user_id)
);
comment on table public.workspace_members is
  'Who belongs to a workspace: viewer reads only; member, admin and owner also upload.';
-- The membership lookup goes by user.
create index workspace_members_user_id_idx on public.workspace_members (user_id, workspace_id);

create table public.clients (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 200),
  currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
  created_at timestamptz not null default now(),
  constraint clients_workspace_name_key unique (workspace_id, name),
  -- Target of the (workspace_id, client_id) foreign keys: a row can never name another workspace's client.
  constraint clients_workspace_id_id_key unique (workspace_id, id)
);
comment on table public.clients is 'An advertiser the agency reports for; spend is in its currency.';

-- =====================================================================================================
-- Membership helpers
-- =====================================================================================================

-- Rank of a workspace role, for "at least member" comparisons.
create function metricdrop_private.role_rank(p_role text)
returns integer
language sql
immutable
set search_path = ''
as $$
  select case p_role when 'owner' then 4 when 'admin' then 3 when 'member' then 2 when 'viewer' then 1 else 0 end
$$;
revoke all on function metricdrop_private.role_rank(text) from public;

-- Workspaces where p_user_id holds at least p_min_role. Used by every policy as
-- `workspace_id in (select metricdrop_private.workspaces_of((select auth.uid())))`.
-- Why definer: it reads workspace_members from inside workspace_members' own policy (no recursion),
-- and it answers only for the caller itself, so it reveals nothing about other users.
create function metricdrop_private.workspaces_of(p_user_id uuid, p_min_role text default 'viewer')
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select m.workspace_id
  from public.workspace_members m
  where m.user_id = p_user_id
    and p_user_id = (select auth.uid())
    and metricdrop_private.role_rank(m.role) >= metricdrop_private.role_rank(p_min_role)
$$;
revoke all on function metricdrop_private.workspaces_of(uuid, text) from public, anon, service_role;
grant execute on function metricdrop_private.workspaces_of(uuid, text) to authenticated;

-- =====================================================================================================
-- Row level security
-- =====================================================================================================

alter table public.workspaces enable row level security;
alter table public.workspace_members enable row level security;
alter table public.clients enable row level security;

create policy "Members can see their workspaces"
  on public.workspaces for select to authenticated
  using (id in (select metricdrop_private.workspaces_of((select auth.uid()))));

create policy "Owners and admins can rename their workspace"
  on public.workspaces for update to authenticated
  using (id in (select metricdrop_private.workspaces_of((select auth.uid()), 'admin')))
  with check (id in (select metricdrop_private.workspaces_of((select auth.uid()), 'admin')));

create policy "Members can see who else is in their workspaces"
  on public.workspace_members for select to authenticated
  using (workspace_id in (select metricdrop_private.workspaces_of((select auth.uid()))));

create policy "Owners can add members to their workspace"
  on public.workspace_members for insert to authenticated
  with check (workspace_id in (select metricdrop_private.workspaces_of((select auth.uid()), 'owner')));

create policy "Owners can change roles in their workspace"
  on public.workspace_members for update to authenticated
  using (workspace_id in (select metricdrop_private.workspaces_of((select auth.uid()), 'owner')))
  with check (workspace_id in (select metricdrop_private.workspaces_of((select auth.uid()), 'owner')));

create policy "Owners can remove members from their workspace"
  on public.workspace_members for delete to authenticated
  using (workspace_id in (select metricdrop_private.workspaces_of((select auth.uid()), 'owner')));

create policy "Members can see their workspace's clients"
  on public.clients for select to authenticated
  using (workspace_id in (select metricdrop_private.workspaces_of((select auth.uid()))));

create policy "Owners and admins can add clients"
  on public.clients for insert to authenticated
  with check (workspace_id in (select metricdrop_private.workspaces_of((select auth.uid()), 'admin')));

create policy "Owners and admins can rename clients"
  on public.clients for update to authenticated
  using (workspace_id in (select metricdrop_private.workspaces_of((select auth.uid()), 'admin')))
  with check (workspace_id in (select metricdrop_private.workspaces_of((select auth.uid()), 'admin')));

-- =====================================================================================================
-- Grants: reads through RLS; the few writes by column. Nothing for anon; workspaces are created and
-- clients deleted by an administrator (SQL editor), not through the API.
-- =====================================================================================================

revoke all on table public.workspaces, public.workspace_members, public.clients from public, anon, authenticated, service_role;
grant select on table public.workspaces, public.workspace_members, public.clients to authenticated;
grant update (name) on table public.workspaces to authenticated;
grant insert (workspace_id, user_id, role) on table public.workspace_members to authenticated;
grant update (role) on table public.workspace_members to authenticated;
grant delete on table public.workspace_members to authenticated;
grant insert (id, workspace_id, name, currency) on table public.clients to authenticated;
grant update (name) on table public.clients to authenticated;

insert into metricdrop_private.schema_versions (version, name) values ('002', 'tenancy');

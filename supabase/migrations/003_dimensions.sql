-- =====================================================================================================
-- 003 Dimensions: campaigns, ad sets (Google's and TikTok's "ad groups"), ads
--
-- Natural key of each: (workspace_id, client_id, platform, external_id), a unique index the ingest
-- upserts rely on (the readiness lock's pre-flight checks it exists). Written only by
-- resolve_dimensions(); members read them through RLS.
-- =====================================================================================================

create table public.campaigns (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null,
  client_id uuid not null,
  platform text not null check (platform in ('meta', 'google', 'tiktok')),
  external_id text not null check (length(external_id) between 1 and 64),
  name text not null check (length(name) between 1 and 1024),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint campaigns_natural_key unique (workspace_id, client_id, platform, external_id),
  constraint campaigns_client_fkey foreign key (workspace_id, client_id)
    references public.clients (workspace_id, id) on delete cascade
);
comment on table public.campaigns is 'A campaign as the ad platform names it, per client.';

create table public.ad_sets (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null,
  client_id uuid not null,
  platform text not null check (platform in ('meta', 'google', 'tiktok')),
  external_id text not null check (length(external_id) between 1 and 64),
  name text not null check (length(name) between 1 and 1024),
  campaign_id uuid not null references public.campaigns (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint ad_sets_natural_key unique (workspace_id, client_id, platform, external_id),
  constraint ad_sets_client_fkey foreign key (workspace_id, client_id)
    references public.clients (workspace_id, id) on delete cascade
);
comment on table public.ad_sets is 'An ad set (Meta) or ad group (Google, TikTok) inside a campaign.';
create index ad_sets_campaign_id_idx on public.ad_sets (campaign_id);

create table public.ads (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null,
  client_id uuid not null,
  platform text not null check (platform in ('meta', 'google', 'tiktok')),
  external_id text not null check (length(external_id) between 1 and 64),
  name text not null check (length(name) between 1 and 1024),
  ad_set_id uuid not null references public.ad_sets (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint ads_natural_key unique (workspace_id, client_id, platform, external_id),
  constraint ads_client_fkey foreign key (workspace_id, client_id)
    references public.clients (workspace_id, id) on delete cascade
);
comment on table public.ads is 'An ad inside an ad set.';
create index ads_ad_set_id_idx on public.ads (ad_set_id);

-- =====================================================================================================
-- Row level security: members read; nobody writes directly (the ingest functions do)
-- =====================================================================================================

alter table public.campaigns enable row level security;
alter table public.ad_sets enable row level security;
alter table public.ads enable row level security;

create policy "Members can read their workspace's campaigns"
  on public.campaigns for select to authenticated
  using (workspace_id in (select metricdrop_private.workspaces_of((select auth.uid()))));

create policy "Members can read their workspace's ad sets"
  on public.ad_sets for select to authenticated
  using (workspace_id in (select metricdrop_private.workspaces_of((select auth.uid()))));

create policy "Members can read their workspace's ads"
  on public.ads for select to authenticated
  using (workspace_id in (select metricdrop_private.workspaces_of((select auth.uid()))));

revoke all on table public.campaigns, public.ad_sets, public.ads from public, anon, authenticated, service_role;
grant select on table public.campaigns, public.ad_sets, public.ads to authenticated;

insert into metricdrop_private.schema_versions (version, name) values ('003', 'dimensions');

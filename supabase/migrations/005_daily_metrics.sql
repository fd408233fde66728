-- =====================================================================================================
-- 005 Facts: daily_metrics (the data contract's 14 columns)
--
-- Grain: one row per (workspace, client, platform, date, campaign, ad set, ad), unique with NULLS NOT
-- DISTINCT so a campaign-level row (ad set and ad null) is unique too. Uploading the same data again
-- updates in place. Written only by write_facts(); members read through RLS.
-- No foreign key to clients: each one costs a lookup per written row, and write_facts() takes
-- workspace, client and platform from the upload; the campaign (which has that foreign key) ties a
-- fact to its client, and deleting a client removes its facts through the campaigns.
-- =====================================================================================================

create table public.daily_metrics (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null,
  client_id uuid not null,
  platform text not null check (platform in ('meta', 'google', 'tiktok')),
  date date not null,
  campaign_id uuid not null references public.campaigns (id) on delete cascade,
  ad_set_id uuid references public.ad_sets (id) on delete cascade,
  ad_id uuid references public.ads (id) on delete cascade,
  impressions bigint not null check (impressions >= 0),
  clicks bigint not null check (clicks >= 0),
  spend numeric not null check (spend >= 0),
  conversions numeric not null check (conversions >= 0),
  conversion_value numeric not null check (conversion_value >= 0),
  upload_id uuid not null references public.data_uploads (id),
  constraint daily_metrics_grain unique nulls not distinct
    (workspace_id, client_id, platform, date, campaign_id, ad_set_id, ad_id),
  constraint daily_metrics_ad_needs_ad_set check (ad_id is null or ad_set_id is not null)
);
comment on table public.daily_metrics is
  'Daily performance per campaign, ad set or ad. spend and conversion_value are in the client''s currency.';
comment on column public.daily_metrics.upload_id is 'The upload that last wrote (created or changed) the row.';

alter table public.daily_metrics enable row level security;

create policy "Members can read their workspace's daily metrics"
  on public.daily_metrics for select to authenticated
  using (workspace_id in (select metricdrop_private.workspaces_of((select auth.uid()))));

revoke all on table public.daily_metrics from public, anon, authenticated, service_role;
grant select on table public.daily_metrics to authenticated;

insert into metricdrop_private.schema_versions (version, name) values ('005', 'daily_metrics');

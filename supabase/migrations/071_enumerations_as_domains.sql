-- =====================================================================================================
-- 071 Enumerations and the canonical lengths as domains, used by the columns
--
-- Each column that held one of a few values (or an entity's id or name) repeated its list or its
-- lengths in a CHECK of its own: the platform five times, the entity types three times. Each is now
-- a domain over text (over integer for nothing: the row counts keep table checks, against the
-- limits of 070) whose one check asks the list or the limit in 070; the columns take the domain and
-- their old checks are dropped. A domain over text is still text to every reader (PostgREST,
-- supabase-js, information_schema.columns.data_type), so the data contract's types hold.
--
-- The change is made without rewriting a table: each column first takes the domain without a
-- constraint (the same bytes, so PostgreSQL keeps the table and its indexes), then the domain gets
-- its check, which PostgreSQL validates against every row once.
-- The API's functions keep `text` parameters and check them themselves, so a wrong value is still
-- refused with INVALID_INPUT and a sentence, not with a bare check violation.
-- =====================================================================================================

create domain metricdrop_private.platform as text;
create domain metricdrop_private.upload_mode as text;
create domain metricdrop_private.upload_status as text;
create domain metricdrop_private.entity_type as text;
create domain metricdrop_private.workspace_role as text;
create domain metricdrop_private.resolution_action as text;
create domain metricdrop_private.external_id as text;
create domain metricdrop_private.entity_name as text;

comment on domain metricdrop_private.platform is 'An ad platform: metricdrop_private.platforms().';
comment on domain metricdrop_private.upload_mode is 'FULL_DRY_RUN or COMMIT: metricdrop_private.upload_modes().';
comment on domain metricdrop_private.upload_status is 'A data_uploads status: metricdrop_private.upload_statuses().';
comment on domain metricdrop_private.entity_type is
  'campaign, ad_set or ad (metricdrop_private.entity_types()); a file''s level is its finest entity type.';
comment on domain metricdrop_private.workspace_role is 'A member''s role: metricdrop_private.workspace_roles().';
comment on domain metricdrop_private.resolution_action is
  'What resolving an entity did or would do: metricdrop_private.resolution_actions().';
comment on domain metricdrop_private.external_id is 'An entity''s id on its platform: 1 to external_id_max_chars() characters.';
comment on domain metricdrop_private.entity_name is 'An entity''s name: 1 to name_max_chars() characters.';

-- The old checks go first: kept through the type change, each would be checked against every row again.
alter table public.campaigns drop constraint campaigns_platform_check, drop constraint campaigns_external_id_check,
  drop constraint campaigns_name_check;
alter table public.ad_sets drop constraint ad_sets_platform_check, drop constraint ad_sets_external_id_check,
  drop constraint ad_sets_name_check;
alter table public.ads drop constraint ads_platform_check, drop constraint ads_external_id_check,
  drop constraint ads_name_check;
alter table public.data_uploads drop constraint data_uploads_platform_check, drop constraint data_uploads_mode_check,
  drop constraint data_uploads_status_check;
alter table public.daily_metrics drop constraint daily_metrics_platform_check;
alter table public.upload_ledger drop constraint upload_ledger_level_check;
alter table public.upload_dimension_steps drop constraint upload_dimension_steps_entity_type_check;
alter table public.staging_id_resolution drop constraint staging_id_resolution_entity_type_check,
  drop constraint staging_id_resolution_action_check;
alter table public.workspace_members drop constraint workspace_members_role_check;

alter table public.campaigns alter column platform type metricdrop_private.platform,
  alter column external_id type metricdrop_private.external_id, alter column name type metricdrop_private.entity_name;
alter table public.ad_sets alter column platform type metricdrop_private.platform,
  alter column external_id type metricdrop_private.external_id, alter column name type metricdrop_private.entity_name;
alter table public.ads alter column platform type metricdrop_private.platform,
  alter column external_id type metricdrop_private.external_id, alter column name type metricdrop_private.entity_name;
alter table public.data_uploads alter column platform type metricdrop_private.platform,
  alter column mode type metricdrop_private.upload_mode, alter column status type metricdrop_private.upload_status;
alter table public.daily_metrics alter column platform type metricdrop_private.platform;
alter table public.upload_ledger alter column level type metricdrop_private.entity_type;
alter table public.upload_dimension_steps alter column entity_type type metricdrop_private.entity_type;
alter table public.staging_id_resolution alter column entity_type type metricdrop_private.entity_type,
  alter column action type metricdrop_private.resolution_action;
alter table public.workspace_members alter column role type metricdrop_private.workspace_role;

alter domain metricdrop_private.platform add constraint platform_check
  check (value = any (metricdrop_private.platforms()));
alter domain metricdrop_private.upload_mode add constraint upload_mode_check
  check (value = any (metricdrop_private.upload_modes()));
alter domain metricdrop_private.upload_status add constraint upload_status_check
  check (value = any (metricdrop_private.upload_statuses()));
alter domain metricdrop_private.entity_type add constraint entity_type_check
  check (value = any (metricdrop_private.entity_types()));
alter domain metricdrop_private.workspace_role add constraint workspace_role_check
  check (value = any (metricdrop_private.workspace_roles()));
alter domain metricdrop_private.resolution_action add constraint resolution_action_check
  check (value = any (metricdrop_private.resolution_actions()));
alter domain metricdrop_private.external_id add constraint external_id_check
  check (length(value) between 1 and metricdrop_private.external_id_max_chars());
alter domain metricdrop_private.entity_name add constraint entity_name_check
  check (length(value) between 1 and metricdrop_private.name_max_chars());

-- The row counts against the limits of 070.
alter table public.data_uploads drop constraint data_uploads_row_count_check,
  add constraint data_uploads_row_count_check check (row_count between 0 and metricdrop_private.max_upload_rows());
alter table public.upload_stage_batches drop constraint upload_stage_batches_row_count_check,
  add constraint upload_stage_batches_row_count_check check (row_count between 1 and metricdrop_private.max_stage_batch_rows());

-- A domain's check runs as the role that writes the value, so that role must be able to run the
-- check's function. Only one of these columns is written by a role of the API: owners add members
-- and change their roles (workspace_members, under RLS). The list is no secret.
grant execute on function metricdrop_private.workspace_roles() to authenticated;
-- Types are usable by PUBLIC unless revoked: nobody needs these outside the migrations' own tables.
revoke all on domain metricdrop_private.platform, metricdrop_private.upload_mode, metricdrop_private.upload_status,
  metricdrop_private.entity_type, metricdrop_private.workspace_role, metricdrop_private.resolution_action,
  metricdrop_private.external_id, metricdrop_private.entity_name
  from public;

select metricdrop_private.record_migration('071', 'enumerations_as_domains');

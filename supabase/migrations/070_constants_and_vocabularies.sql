-- =====================================================================================================
-- 070 One home for each rule: limits, batch sizes, retentions and value lists as private functions;
-- one way to record a migration
--
-- Until now each function wrote its own copy of a limit (50 MiB and 100,000 rows in begin_upload and
-- a table check, 5,000 rows in stage_rows, stage_batch and a table check, 1,000 rows per fact batch
-- in four places, 24 hours and 7 days in three, the active statuses in five, the platforms in six).
-- Each now lives in one immutable function of the private schema, and the code asks it: an
-- immutable SQL function without arguments is folded into a constant when a statement is planned,
-- so asking costs nothing per row. A change of a limit is a `create or replace` of one function.
-- The value lists (platforms, modes, statuses, entity types, roles, resolution actions) are
-- functions too, so a column's domain (071) and a function's check of its argument read the same
-- list. supabase/README.md lists them all.
--
-- From this migration on, every migration records its version by calling record_migration() as
-- its last statement (test/db/catalog.test.ts checks every file does, with its own number).
-- =====================================================================================================

-- Records a migration in schema_versions: the one way a migration from 070 on says it ran. A
-- version recorded twice (two files with one number) fails the migration that repeats it.
create function metricdrop_private.record_migration(p_version text, p_name text)
returns void
language plpgsql
set search_path = ''
as $$
begin
  if p_version is null or p_version !~ '^[0-9]{3}$' or p_name is null or p_name !~ '^[a-z0-9_]+$' then
    raise exception 'record_migration(%, %): a migration is recorded as its file name NNN_name.sql says', p_version, p_name;
  end if;
  insert into metricdrop_private.schema_versions (version, name) values (p_version, p_name);
end
$$;
revoke all on function metricdrop_private.record_migration(text, text) from public, anon, authenticated, service_role;

-- =====================================================================================================
-- Limits of an upload (shared/errors.ts FILE_LIMITS holds the app's copies of the first two)
-- =====================================================================================================

-- The largest file one upload may come from: 50 MiB.
create function metricdrop_private.max_file_bytes() returns bigint
language sql immutable set search_path = '' as $$ select 52428800::bigint $$;

-- The most data rows one upload may have.
create function metricdrop_private.max_upload_rows() returns integer
language sql immutable set search_path = '' as $$ select 100000 $$;

-- The most rows one stage batch (stage_rows, stage_batch) may hold.
create function metricdrop_private.max_stage_batch_rows() returns integer
language sql immutable set search_path = '' as $$ select 5000 $$;

-- Rows per fact batch: fact batch k is staged rows k*size ... k*size+size-1 in row-number order.
create function metricdrop_private.fact_batch_size() returns integer
language sql immutable set search_path = '' as $$ select 1000 $$;

-- How many fact batches an upload of p_row_count rows has.
create function metricdrop_private.fact_batch_count(p_row_count integer) returns integer
language sql immutable set search_path = '' as $$
  select (p_row_count + metricdrop_private.fact_batch_size() - 1) / metricdrop_private.fact_batch_size()
$$;

-- The most uploads of one workspace that may be active (hold a slot) at once.
create function metricdrop_private.max_active_uploads() returns integer
language sql immutable set search_path = '' as $$ select 3 $$;

-- The most COMMIT uploads of one client begun or promoted within rate_window().
create function metricdrop_private.max_commits_per_window() returns integer
language sql immutable set search_path = '' as $$ select 10 $$;

create function metricdrop_private.rate_window() returns interval
language sql immutable set search_path = '' as $$ select interval '1 hour' $$;

-- How long a dry run's staged rows are kept for it to be committed (promote_upload).
create function metricdrop_private.dry_run_retention() returns interval
language sql immutable set search_path = '' as $$ select interval '24 hours' $$;

-- How long any upload's staged rows are kept for it to be finished or resumed.
create function metricdrop_private.upload_retention() returns interval
language sql immutable set search_path = '' as $$ select interval '7 days' $$;

-- The largest column mapping note_upload_mapping keeps, in bytes of JSON text.
create function metricdrop_private.max_mapping_bytes() returns integer
language sql immutable set search_path = '' as $$ select 8192 $$;

-- =====================================================================================================
-- The canonical row's limits (shared/canonical.ts CANONICAL_LIMITS; test/db/canonical-parity.test.ts
-- checks the two agree): characters as PostgreSQL's length() counts them.
-- =====================================================================================================

-- impressions and clicks: digits of a whole number (bigint holds 18 with room to sum).
create function metricdrop_private.count_max_digits() returns integer
language sql immutable set search_path = '' as $$ select 18 $$;

-- spend, conversions, conversion_value: characters of the decimal text, the point included.
create function metricdrop_private.decimal_max_chars() returns integer
language sql immutable set search_path = '' as $$ select 40 $$;

-- An entity's external id (the dimension tables' external_id too).
create function metricdrop_private.external_id_max_chars() returns integer
language sql immutable set search_path = '' as $$ select 64 $$;

-- An entity's name (the dimension tables' name too).
create function metricdrop_private.name_max_chars() returns integer
language sql immutable set search_path = '' as $$ select 1024 $$;

-- =====================================================================================================
-- Value lists: the one definition of each enumeration (the domains of 071 check against them)
-- =====================================================================================================

-- shared/canonical.ts Platform.
create function metricdrop_private.platforms() returns text[]
language sql immutable set search_path = '' as $$ select array['meta', 'google', 'tiktok'] $$;

create function metricdrop_private.upload_modes() returns text[]
language sql immutable set search_path = '' as $$ select array['FULL_DRY_RUN', 'COMMIT'] $$;

-- Every status of data_uploads, in the order an upload passes through them.
create function metricdrop_private.upload_statuses() returns text[]
language sql immutable set search_path = '' as $$
  select array['pending', 'staging', 'staged', 'committing', 'completed', 'failed', 'expired']
$$;

-- The statuses of an upload that may still go on: each holds one of the workspace's slots
-- (max_active_uploads()) until it finishes, fails or expires.
create function metricdrop_private.active_upload_statuses() returns text[]
language sql immutable set search_path = '' as $$ select array['pending', 'staging', 'staged', 'committing'] $$;

-- Entity types in the order their dimension steps run; a file's level is one of them, its finest
-- (shared/canonical.ts Level).
create function metricdrop_private.entity_types() returns text[]
language sql immutable set search_path = '' as $$ select array['campaign', 'ad_set', 'ad'] $$;

-- Workspace roles from the least to the most privileged (role_rank() is the position).
create function metricdrop_private.workspace_roles() returns text[]
language sql immutable set search_path = '' as $$ select array['viewer', 'member', 'admin', 'owner'] $$;

-- What resolving an entity of an upload did (COMMIT) or would do (FULL_DRY_RUN).
create function metricdrop_private.resolution_actions() returns text[]
language sql immutable set search_path = '' as $$
  select array['existing', 'created', 'updated', 'would_create', 'would_update']
$$;

-- A list for a sentence: 'meta, google or tiktok'.
create function metricdrop_private.one_of(p_values text[]) returns text
language sql immutable set search_path = '' as $$
  select case when cardinality(p_values) > 1
              then array_to_string(p_values[1:cardinality(p_values) - 1], ', ') || ' or ' || p_values[cardinality(p_values)]
              else array_to_string(p_values, '') end
$$;

-- The ranks, from the lists above (same answers as 002 and 007: 0 / null for an unknown value).
create or replace function metricdrop_private.role_rank(p_role text)
returns integer
language sql
immutable
set search_path = ''
as $$
  select coalesce(array_position(metricdrop_private.workspace_roles(), p_role), 0)
$$;

create or replace function metricdrop_private.entity_rank(p_entity_type text)
returns integer
language sql
immutable
set search_path = ''
as $$
  select array_position(metricdrop_private.entity_types(), p_entity_type)
$$;

revoke all on function
  metricdrop_private.max_file_bytes(), metricdrop_private.max_upload_rows(), metricdrop_private.max_stage_batch_rows(),
  metricdrop_private.fact_batch_size(), metricdrop_private.fact_batch_count(integer), metricdrop_private.max_active_uploads(),
  metricdrop_private.max_commits_per_window(), metricdrop_private.rate_window(), metricdrop_private.dry_run_retention(),
  metricdrop_private.upload_retention(), metricdrop_private.max_mapping_bytes(), metricdrop_private.count_max_digits(),
  metricdrop_private.decimal_max_chars(), metricdrop_private.external_id_max_chars(), metricdrop_private.name_max_chars(),
  metricdrop_private.platforms(), metricdrop_private.upload_modes(), metricdrop_private.upload_statuses(),
  metricdrop_private.active_upload_statuses(), metricdrop_private.entity_types(), metricdrop_private.workspace_roles(),
  metricdrop_private.resolution_actions(), metricdrop_private.one_of(text[])
  from public, anon, authenticated, service_role;

select metricdrop_private.record_migration('070', 'constants_and_vocabularies');

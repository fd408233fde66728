-- =====================================================================================================
-- 094 The table checks' patterns asked of one function each, through domains
--
-- After 093 four table checks still wrote out a pattern: clients.currency and upload_ledger.currency
-- (002, 006) the currency's, which currency_pattern() returns since 093; data_uploads.file_sha256
-- (004) a file's SHA-256, which check_begin_arguments writes too; schema_versions.version (001) a
-- migration's number, which record_migration (070) writes too. Each column now takes a domain, in
-- 071's style, whose one check asks the pattern's function: currency_pattern() (093), and the two
-- functions added here, sha256_pattern() and migration_version_pattern(), which
-- check_begin_arguments and record_migration ask as well. The columns' old checks are dropped.
-- test/db/catalog.test.ts now fails when a table's or a domain's check writes out a pattern (any
-- text) such a function returns, as it does for the functions' definitions since 093.
--
-- The columns keep what readers see: a domain over character(3) is still character(3) to
-- information_schema, PostgREST and supabase-js, one over text still text. As in 071 each column
-- first takes its domain without a check (the same bytes: PostgreSQL keeps the table and its
-- indexes), then the domain gets its check, validated against every row once.
-- Who writes what: owners and admins add clients (authenticated, under RLS), and a domain's check
-- runs as the role writing the value, so authenticated may now run currency_pattern(), as it may
-- workspace_roles() (071); a pattern is no secret. data_uploads and upload_ledger are written only
-- by begin_upload and the ingest functions, SECURITY DEFINER (their owner runs the checks), and
-- schema_versions only by the migrations.
-- A wrong value is still refused with 23514 (check_violation), now naming the domain; the API's
-- functions check their arguments themselves first, so their codes and sentences do not change.
-- =====================================================================================================

-- A file's SHA-256 as its text must read: 64 lower-case hexadecimal digits.
create function metricdrop_private.sha256_pattern() returns text
language sql immutable set search_path = '' as $$ select '^[0-9a-f]{64}$' $$;

-- A migration's number as its file name writes it (NNN_name.sql): three digits.
create function metricdrop_private.migration_version_pattern() returns text
language sql immutable set search_path = '' as $$ select '^[0-9]{3}$' $$;

revoke all on function metricdrop_private.sha256_pattern(), metricdrop_private.migration_version_pattern()
  from public, anon, authenticated, service_role;

-- =====================================================================================================
-- The domains, taken by the columns
-- =====================================================================================================

create domain metricdrop_private.currency_code as char(3);
create domain metricdrop_private.sha256_hex as text;
create domain metricdrop_private.migration_version as text;

comment on domain metricdrop_private.currency_code is 'An ISO 4217 currency code: metricdrop_private.currency_pattern().';
comment on domain metricdrop_private.sha256_hex is 'A file''s SHA-256 in hexadecimal: metricdrop_private.sha256_pattern().';
comment on domain metricdrop_private.migration_version is
  'A migration''s number, as in its file name NNN_name.sql: metricdrop_private.migration_version_pattern().';

-- The old checks go first: kept through the type change, each would be checked against every row again.
alter table public.clients drop constraint clients_currency_check;
alter table public.upload_ledger drop constraint upload_ledger_currency_check;
alter table public.data_uploads drop constraint data_uploads_file_sha256_check;
alter table metricdrop_private.schema_versions drop constraint schema_versions_version_check;

alter table public.clients alter column currency type metricdrop_private.currency_code;
alter table public.upload_ledger alter column currency type metricdrop_private.currency_code;
alter table public.data_uploads alter column file_sha256 type metricdrop_private.sha256_hex;
alter table metricdrop_private.schema_versions alter column version type metricdrop_private.migration_version;

alter domain metricdrop_private.currency_code add constraint currency_code_check
  check (value ~ metricdrop_private.currency_pattern());
alter domain metricdrop_private.sha256_hex add constraint sha256_hex_check
  check (value ~ metricdrop_private.sha256_pattern());
alter domain metricdrop_private.migration_version add constraint migration_version_check
  check (value ~ metricdrop_private.migration_version_pattern());

-- Owners and admins write clients.currency (the others are written by their owner, see above).
grant execute on function metricdrop_private.currency_pattern() to authenticated;
-- Types are usable by PUBLIC unless revoked: nobody needs these outside the migrations' own tables.
revoke all on domain metricdrop_private.currency_code, metricdrop_private.sha256_hex, metricdrop_private.migration_version
  from public;

-- =====================================================================================================
-- The functions that wrote the two new patterns
-- =====================================================================================================

-- check_begin_arguments as in 093, the file's SHA-256 matched by sha256_pattern().
create or replace function metricdrop_private.check_begin_arguments(
  p_upload_id uuid, p_workspace_id uuid, p_client_id uuid, p_platform text, p_mode text, p_file_name text,
  p_file_sha256 text, p_file_bytes bigint, p_row_count integer, p_level text, p_currency text)
returns void
language plpgsql
set search_path = ''
as $$
begin
  if p_upload_id is null or p_workspace_id is null or p_client_id is null then
    perform metricdrop_private.refuse('INVALID_INPUT', 'An upload id, a workspace and a client are required to begin an upload.');
  end if;
  perform metricdrop_private.require_one_of('platform', p_platform, metricdrop_private.platforms());
  perform metricdrop_private.require_one_of('mode', p_mode, metricdrop_private.upload_modes());
  perform metricdrop_private.require_one_of('level', p_level, metricdrop_private.entity_types());
  if p_file_name is null or length(p_file_name) not between 1 and metricdrop_private.file_name_max_chars() then
    perform metricdrop_private.refuse('INVALID_INPUT',
      format('The file name must be 1 to %s characters.', metricdrop_private.file_name_max_chars()));
  end if;
  if p_file_sha256 is null or p_file_sha256 !~ metricdrop_private.sha256_pattern() then
    perform metricdrop_private.refuse('INVALID_INPUT', 'The file''s SHA-256 must be 64 lower-case hexadecimal characters.');
  end if;
  if p_file_bytes is null or p_file_bytes < 0 or p_row_count is null or p_row_count < 0 then
    perform metricdrop_private.refuse('INVALID_INPUT', 'The file size and row count must be given and not negative.');
  end if;
  if p_currency is not null and p_currency !~ metricdrop_private.currency_pattern() then
    perform metricdrop_private.refuse('INVALID_INPUT',
      format('The currency must be an ISO 4217 code such as USD, not %s.', p_currency));
  end if;
end
$$;

-- record_migration as in 070, the version matched by migration_version_pattern().
create or replace function metricdrop_private.record_migration(p_version text, p_name text)
returns void
language plpgsql
set search_path = ''
as $$
begin
  if p_version is null or p_version !~ metricdrop_private.migration_version_pattern()
     or p_name is null or p_name !~ '^[a-z0-9_]+$' then
    raise exception 'record_migration(%, %): a migration is recorded as its file name NNN_name.sql says', p_version, p_name;
  end if;
  insert into metricdrop_private.schema_versions (version, name) values (p_version, p_name);
end
$$;

select metricdrop_private.record_migration('094', 'table_patterns_from_one_place');

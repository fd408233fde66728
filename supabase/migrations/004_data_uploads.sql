-- =====================================================================================================
-- 004 Uploads: data_uploads, one row per upload (the data contract's 12 columns)
--
-- The id is chosen by the app before begin_upload, so a retried begin finds its upload instead of
-- creating a second. Written only by the ingest functions; members read their workspace's uploads.
-- =====================================================================================================

create table public.data_uploads (
  id uuid primary key,
  workspace_id uuid not null,
  client_id uuid not null,
  platform text not null check (platform in ('meta', 'google', 'tiktok')),
  uploaded_by uuid not null,
  file_name text not null check (length(file_name) between 1 and 1024),
  file_sha256 text not null check (file_sha256 ~ '^[0-9a-f]{64}$'),
  mode text not null check (mode in ('FULL_DRY_RUN', 'COMMIT')),
  status text not null default 'pending'
    check (status in ('pending', 'staging', 'staged', 'committing', 'completed', 'failed', 'expired')),
  row_count integer not null check (row_count between 0 and 100000),
  summary jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  constraint data_uploads_client_fkey foreign key (workspace_id, client_id)
    references public.clients (workspace_id, id) on delete cascade
);
comment on table public.data_uploads is
  'One upload of one export file: who, what, mode, status and a summary of what it changed.';
comment on column public.data_uploads.uploaded_by is 'auth.uid() of the member who began the upload.';

-- Policy column first; also serves the concurrency limit (active uploads per workspace).
create index data_uploads_workspace_status_idx on public.data_uploads (workspace_id, status);
-- Rate limit (COMMIT uploads per client per hour) and "uploaded before" lookups.
create index data_uploads_client_created_idx on public.data_uploads (client_id, created_at);
create index data_uploads_client_sha256_idx on public.data_uploads (client_id, file_sha256);
-- Cleanup finds uploads by age.
create index data_uploads_created_at_idx on public.data_uploads (created_at);

alter table public.data_uploads enable row level security;

create policy "Members can read their workspace's uploads"
  on public.data_uploads for select to authenticated
  using (workspace_id in (select metricdrop_private.workspaces_of((select auth.uid()))));

revoke all on table public.data_uploads from public, anon, authenticated, service_role;
grant select on table public.data_uploads to authenticated;

insert into metricdrop_private.schema_versions (version, name) values ('004', 'data_uploads');

-- =====================================================================================================
-- 006 Ingest ledgers: what each stage of an upload has committed
--
-- A ledger row is written in the same transaction as the work it records, so "recorded" means
-- "done". A replayed call (its answer lost on the way back) finds its row and returns the recorded
-- answer without doing the work again; resume asks upload_progress(), which reads these tables.
-- =====================================================================================================

-- One row per upload: what begin_upload was told that data_uploads has no column for.
create table public.upload_ledger (
  upload_id uuid primary key references public.data_uploads (id) on delete cascade,
  workspace_id uuid not null,
  file_bytes bigint not null check (file_bytes >= 0),
  level text not null check (level in ('campaign', 'ad_set', 'ad')),
  currency char(3) check (currency ~ '^[A-Z]{3}$'),
  kind text not null default 'daily_performance',
  -- Set when a finished dry run was turned into a COMMIT upload; the rate limit counts from here.
  promoted_at timestamptz,
  -- First row_number of each 1,000-row fact batch, fixed once every row is staged.
  fact_batch_starts integer[],
  created_at timestamptz not null default now()
);
comment on table public.upload_ledger is 'Per-upload facts of the file and the fact batch boundaries.';
create index upload_ledger_workspace_idx on public.upload_ledger (workspace_id);

-- Stage batches stored by stage_rows(), numbered by the app.
create table public.upload_stage_batches (
  upload_id uuid not null references public.data_uploads (id) on delete cascade,
  batch_no integer not null check (batch_no >= 0),
  workspace_id uuid not null,
  row_count integer not null check (row_count between 1 and 5000),
  first_row integer not null,
  last_row integer not null,
  total_staged integer not null check (total_staged >= 0),
  created_at timestamptz not null default now(),
  primary key (upload_id, batch_no)
);
comment on table public.upload_stage_batches is 'Stage batches committed to staging_rows: how many rows, which row numbers.';
create index upload_stage_batches_workspace_idx on public.upload_stage_batches (workspace_id);

-- Entity types resolved by resolve_dimensions(), with their counts.
create table public.upload_dimension_steps (
  upload_id uuid not null references public.data_uploads (id) on delete cascade,
  entity_type text not null check (entity_type in ('campaign', 'ad_set', 'ad')),
  workspace_id uuid not null,
  creates integer not null check (creates >= 0),
  updates integer not null check (updates >= 0),
  unchanged integer not null check (unchanged >= 0),
  created_at timestamptz not null default now(),
  primary key (upload_id, entity_type)
);
comment on table public.upload_dimension_steps is 'Dimension stages committed (or planned, for a dry run), with counts.';
create index upload_dimension_steps_workspace_idx on public.upload_dimension_steps (workspace_id);

-- Fact batches written (or planned) by write_facts(), with their counts.
create table public.upload_fact_batches (
  upload_id uuid not null references public.data_uploads (id) on delete cascade,
  batch_no integer not null check (batch_no >= 0),
  workspace_id uuid not null,
  creates integer not null check (creates >= 0),
  updates integer not null check (updates >= 0),
  unchanged integer not null check (unchanged >= 0),
  created_at timestamptz not null default now(),
  primary key (upload_id, batch_no)
);
comment on table public.upload_fact_batches is 'Fact batches committed to daily_metrics (or planned, for a dry run), with counts.';
create index upload_fact_batches_workspace_idx on public.upload_fact_batches (workspace_id);

alter table public.upload_ledger enable row level security;
alter table public.upload_stage_batches enable row level security;
alter table public.upload_dimension_steps enable row level security;
alter table public.upload_fact_batches enable row level security;

create policy "Members can read their workspace's upload ledger"
  on public.upload_ledger for select to authenticated
  using (workspace_id in (select metricdrop_private.workspaces_of((select auth.uid()))));

create policy "Members can read their workspace's staged batches"
  on public.upload_stage_batches for select to authenticated
  using (workspace_id in (select metricdrop_private.workspaces_of((select auth.uid()))));

create policy "Members can read their workspace's dimension steps"
  on public.upload_dimension_steps for select to authenticated
  using (workspace_id in (select metricdrop_private.workspaces_of((select auth.uid()))));

create policy "Members can read their workspace's fact batches"
  on public.upload_fact_batches for select to authenticated
  using (workspace_id in (select metricdrop_private.workspaces_of((select auth.uid()))));

revoke all on table public.upload_ledger, public.upload_stage_batches, public.upload_dimension_steps,
  public.upload_fact_batches from public, anon, authenticated, service_role;
grant select on table public.upload_ledger, public.upload_stage_batches, public.upload_dimension_steps,
  public.upload_fact_batches to authenticated;

insert into metricdrop_private.schema_versions (version, name) values ('006', 'ingest_ledgers');

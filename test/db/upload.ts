import type pg from 'pg';
import { callRpc, newId, type Actor } from './as-user.ts';
import { sha256Of, type Level, type StagedRow } from './seed.ts';

/** One upload as the app would send it, driven stage by stage through the ingest functions. */
export interface UploadPlanInput {
  actor: Actor;
  workspaceId: string;
  clientId: string;
  rows: StagedRow[];
  level: Level;
  mode?: 'COMMIT' | 'FULL_DRY_RUN';
  platform?: 'meta' | 'google' | 'tiktok';
  uploadId?: string;
  fileName?: string;
  sha256?: string;
  bytes?: number;
  currency?: string | null;
  kind?: string;
  /** Rows per stage_rows call. */
  stageBatch?: number;
}

export interface Upload extends Required<Omit<UploadPlanInput, 'kind' | 'currency'>> {
  currency: string | null;
  kind: string | undefined;
}

export interface Counts {
  create: number;
  update: number;
  unchanged: number;
}

export interface FinishAnswer {
  id: string;
  status: string;
  mode: string;
  summary: Record<string, unknown>;
  plan: { campaigns: Counts; adSets: Counts; ads: Counts; facts: Counts };
}

export function upload(input: UploadPlanInput): Upload {
  return {
    mode: 'COMMIT',
    platform: 'meta',
    uploadId: newId(),
    fileName: 'meta-ads-2024-03.csv',
    sha256: sha256Of(input.rows),
    bytes: 1024 + input.rows.length * 180,
    stageBatch: 2500,
    ...input,
    currency: input.currency === undefined ? null : input.currency,
    kind: input.kind,
  };
}

export function beginArgs(u: Upload): Record<string, unknown> {
  const args: Record<string, unknown> = {
    p_upload_id: u.uploadId,
    p_workspace_id: u.workspaceId,
    p_client_id: u.clientId,
    p_platform: u.platform,
    p_mode: u.mode,
    p_file_name: u.fileName,
    p_file_sha256: u.sha256,
    p_file_bytes: u.bytes,
    p_row_count: u.rows.length,
    p_level: u.level,
    p_currency: u.currency,
  };
  if (u.kind !== undefined) args.p_kind = u.kind;
  return args;
}

export async function begin(c: pg.Client, u: Upload) {
  return await callRpc<Record<string, unknown> & { id: string; status: string; previous: unknown }>(
    c,
    u.actor,
    'begin_upload',
    beginArgs(u),
  );
}

export function stageBatches(u: Upload): StagedRow[][] {
  const out: StagedRow[][] = [];
  for (let i = 0; i < u.rows.length; i += u.stageBatch) out.push(u.rows.slice(i, i + u.stageBatch));
  return out;
}

export async function stage(c: pg.Client, u: Upload, batchNo: number) {
  const batch = stageBatches(u)[batchNo];
  if (!batch) throw new Error(`no stage batch ${batchNo}`);
  return await callRpc<{ batch_no: number; staged: number; total_staged: number }>(c, u.actor, 'stage_rows', {
    p_upload_id: u.uploadId,
    p_batch_no: batchNo,
    p_rows: batch,
  });
}

export async function resolve(c: pg.Client, u: Upload, entity: 'campaign' | 'ad_set' | 'ad') {
  return await callRpc<Counts & { entity_type: string }>(c, u.actor, 'resolve_dimensions', {
    p_upload_id: u.uploadId,
    p_entity_type: entity,
  });
}

export async function writeFacts(c: pg.Client, u: Upload, batchNo: number) {
  return await callRpc<Counts & { batch_no: number }>(c, u.actor, 'write_facts', { p_upload_id: u.uploadId, p_batch_no: batchNo });
}

export async function finish(c: pg.Client, u: Upload) {
  return await callRpc<FinishAnswer>(c, u.actor, 'finish_upload', { p_upload_id: u.uploadId });
}

export async function progress(c: pg.Client, u: Upload) {
  return await callRpc<{
    status: string;
    mode: string;
    row_count: number;
    staged_rows: number;
    staged_batches: number[];
    dimensions_done: string[];
    fact_batches_done: number[];
    fact_batch_count: number;
  }>(c, u.actor, 'upload_progress', { p_upload_id: u.uploadId });
}

/** Every stage after begin, in order: stage, dimensions, facts, finish. */
export async function runAfterBegin(c: pg.Client, u: Upload): Promise<FinishAnswer> {
  const batches = stageBatches(u);
  for (let k = 0; k < batches.length; k++) await stage(c, u, k);
  for (const e of ['campaign', 'ad_set', 'ad'] as const) await resolve(c, u, e);
  const factBatches = Math.ceil(u.rows.length / 1000);
  for (let k = 0; k < factBatches; k++) await writeFacts(c, u, k);
  return await finish(c, u);
}

/** A whole upload: begin, then every stage. */
export async function runUpload(c: pg.Client, u: Upload): Promise<FinishAnswer> {
  await begin(c, u);
  return await runAfterBegin(c, u);
}

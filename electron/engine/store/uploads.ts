import type Database from 'better-sqlite3';
import * as z from 'zod';
import type { Level, Platform } from '../../../shared/canonical.ts';
import { AppErrorShape } from '../../../shared/errors.ts';
import type { HistoryStatus } from '../../../shared/ipc-contract.ts';
import { Plan, type UploadMode, type UploadStatus } from '../../../shared/report.ts';

/** Where an upload stands on this computer (the server's own status is `serverStatus`). */
export type LocalUploadStatus = 'running' | 'interrupted' | 'failed' | 'completed' | 'staged';

/**
 * Write-ahead record of what this computer knows is done (the upload runner writes it, step by
 * step); the server stays the source of truth.
 */
export interface UploadJournal {
  stepDone(uploadId: string, step: string, ms: number, result: unknown): void;
  setState(
    uploadId: string,
    patch: {
      status?: LocalUploadStatus;
      serverStatus?: UploadStatus;
      error?: AppErrorShape | null;
      plan?: Plan | null;
      previous?: unknown;
    },
  ): void;
}

export interface NewUpload {
  id: string;
  validationId: string;
  workspaceId: string;
  clientId: string;
  clientName: string;
  platform: Platform;
  mode: UploadMode;
  fileName: string;
  sha256: string;
  rowCount: number;
  level: Level;
  currency: string | null;
  userId: string;
  userEmail: string;
  serverUrl: string;
  stageBatchRows: number;
}

export interface StoredUpload extends NewUpload {
  status: LocalUploadStatus;
  serverStatus: UploadStatus | null;
  plan: Plan | null;
  previous: unknown;
  error: AppErrorShape | null;
  createdAt: string;
  updatedAt: string;
}

export interface StoredStep {
  step: string;
  ms: number;
  result: unknown;
  at: string;
}

interface UploadRecord {
  id: string;
  validation_id: string;
  workspace_id: string;
  client_id: string;
  client_name: string;
  platform: Platform;
  mode: UploadMode;
  file_name: string;
  sha256: string;
  row_count: number;
  level: Level;
  currency: string | null;
  user_id: string;
  user_email: string;
  server_url: string;
  stage_batch_rows: number;
  status: LocalUploadStatus;
  server_status: UploadStatus | null;
  plan_json: string | null;
  previous_json: string | null;
  error_json: string | null;
  created_at: string;
  updated_at: string;
}

function parseJson<T>(text: string | null, schema: z.ZodType<T>): T | null {
  if (text === null) return null;
  const r = schema.safeParse(JSON.parse(text));
  return r.success ? r.data : null;
}

function fromRecord(r: UploadRecord): StoredUpload {
  return {
    id: r.id,
    validationId: r.validation_id,
    workspaceId: r.workspace_id,
    clientId: r.client_id,
    clientName: r.client_name,
    platform: r.platform,
    mode: r.mode,
    fileName: r.file_name,
    sha256: r.sha256,
    rowCount: r.row_count,
    level: r.level,
    currency: r.currency,
    userId: r.user_id,
    userEmail: r.user_email,
    serverUrl: r.server_url,
    stageBatchRows: r.stage_batch_rows,
    status: r.status,
    serverStatus: r.server_status,
    plan: parseJson(r.plan_json, Plan),
    previous: r.previous_json === null ? null : (JSON.parse(r.previous_json) as unknown),
    error: parseJson(r.error_json, AppErrorShape),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Records an upload before anything is sent (write-ahead): the id exists locally first. */
export function insertUpload(db: Database.Database, u: NewUpload, at: Date): void {
  db.prepare(
    `insert into uploads (id, validation_id, workspace_id, client_id, client_name, platform, mode, file_name, sha256,
       row_count, level, currency, user_id, user_email, server_url, stage_batch_rows, status, created_at, updated_at)
     values (@id, @validationId, @workspaceId, @clientId, @clientName, @platform, @mode, @fileName, @sha256,
       @rowCount, @level, @currency, @userId, @userEmail, @serverUrl, @stageBatchRows, 'running', @at, @at)`,
  ).run({ ...u, at: at.toISOString() });
}

/** A finished dry run being committed: from now on it is a COMMIT upload of the same staged rows. */
export function markCommitOfDryRun(db: Database.Database, id: string): void {
  db.prepare(`update uploads set mode = 'COMMIT' where id = ? and mode = 'FULL_DRY_RUN'`).run(id);
}

export function getUpload(db: Database.Database, id: string): StoredUpload | null {
  const r = db.prepare('select * from uploads where id = ?').get(id) as UploadRecord | undefined;
  return r ? fromRecord(r) : null;
}

/**
 * Where an upload stands in the history the window and `metricdrop history` show: the local status
 * while it runs, is interrupted or failed here; else the server's, or completed / staged as this
 * computer recorded it. Written once, here, so the history's status filter and its entries agree.
 */
const HISTORY_STATUS = `case when status in ('running', 'interrupted', 'failed') then status
  else coalesce(server_status, case status when 'staged' then 'staged' else 'completed' end) end`;

export interface UploadHistoryFilter {
  clientId?: string | undefined;
  platform?: Platform | undefined;
  status?: HistoryStatus | undefined;
  /** The first and last day (UTC, YYYY-MM-DD) the upload was started on. */
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
}

/** An upload as the history shows it: the record and where it stands (`HISTORY_STATUS`). */
export interface UploadInHistory {
  upload: StoredUpload;
  status: HistoryStatus;
}

type HistoryRecord = UploadRecord & { history_status: HistoryStatus };

/**
 * The newest `limit` uploads and dry runs that match every filter, newest first: filtered by the
 * database before the limit, so an old one is found however many came after it.
 */
export function uploadHistory(db: Database.Database, f: UploadHistoryFilter): UploadInHistory[] {
  const rows = db
    .prepare(
      `select *, ${HISTORY_STATUS} as history_status from uploads
        where (@clientId is null or client_id = @clientId)
          and (@platform is null or platform = @platform)
          and (@status is null or ${HISTORY_STATUS} = @status)
          and (@from is null or substr(created_at, 1, 10) >= @from)
          and (@to is null or substr(created_at, 1, 10) <= @to)
        order by created_at desc, rowid desc limit @limit`,
    )
    .all({
      clientId: f.clientId ?? null,
      platform: f.platform ?? null,
      status: f.status ?? null,
      from: f.from ?? null,
      to: f.to ?? null,
      limit: f.limit,
    }) as HistoryRecord[];
  return rows.map((r) => ({ upload: fromRecord(r), status: r.history_status }));
}

/** One upload as the history shows it, or null. */
export function uploadInHistory(db: Database.Database, id: string): UploadInHistory | null {
  const r = db.prepare(`select *, ${HISTORY_STATUS} as history_status from uploads where id = ?`).get(id) as HistoryRecord | undefined;
  return r ? { upload: fromRecord(r), status: r.history_status } : null;
}

/** This validation's server dry runs still staged there, awaiting a commit (each holds an upload slot). */
export function stagedDryRunsOf(db: Database.Database, validationId: string): StoredUpload[] {
  const rows = db
    .prepare(
      `select * from uploads where validation_id = ? and mode = 'FULL_DRY_RUN' and server_status = 'staged'
        order by created_at asc, rowid asc`,
    )
    .all(validationId) as UploadRecord[];
  return rows.map(fromRecord);
}

/** Uploads that stopped part-way (crash, lost network, cancel), oldest first: what `resume` continues. */
export function interruptedUploads(db: Database.Database): StoredUpload[] {
  const rows = db
    .prepare(`select * from uploads where status in ('running','interrupted') order by created_at asc, rowid asc`)
    .all() as UploadRecord[];
  return rows.map(fromRecord);
}

export function uploadSteps(db: Database.Database, id: string): StoredStep[] {
  const rows = db.prepare('select step, ms, result_json, at from upload_steps where upload_id = ? order by id').all(id) as Array<{
    step: string;
    ms: number;
    result_json: string | null;
    at: string;
  }>;
  return rows.map((r) => ({
    step: r.step,
    ms: r.ms,
    at: r.at,
    result: r.result_json === null ? null : (JSON.parse(r.result_json) as unknown),
  }));
}

/** The last completed COMMIT of the same file content for this client, if this computer made one. */
export function previousCommitOf(db: Database.Database, sha256: string, clientId: string, exceptId: string): StoredUpload | null {
  const r = db
    .prepare(
      `select * from uploads where sha256 = ? and client_id = ? and id <> ? and mode = 'COMMIT' and status = 'completed'
       order by created_at desc limit 1`,
    )
    .get(sha256, clientId, exceptId) as UploadRecord | undefined;
  return r ? fromRecord(r) : null;
}

export function uploadJournal(db: Database.Database, now: () => Date): UploadJournal {
  const step = db.prepare('insert into upload_steps (upload_id, step, ms, result_json, at) values (?, ?, ?, ?, ?)');
  return {
    stepDone(uploadId, name, ms, result) {
      step.run(uploadId, name, Math.round(ms), result === undefined ? null : JSON.stringify(result), now().toISOString());
    },
    setState(uploadId, patch) {
      const sets: string[] = ['updated_at = @at'];
      const params: Record<string, unknown> = { id: uploadId, at: now().toISOString() };
      const set = (column: string, name: string, value: unknown) => {
        sets.push(`${column} = @${name}`);
        params[name] = value;
      };
      if (patch.status !== undefined) set('status', 'status', patch.status);
      if (patch.serverStatus !== undefined) set('server_status', 'serverStatus', patch.serverStatus);
      if (patch.error !== undefined) set('error_json', 'error', patch.error === null ? null : JSON.stringify(patch.error));
      if (patch.plan !== undefined) set('plan_json', 'plan', patch.plan === null ? null : JSON.stringify(patch.plan));
      if (patch.previous !== undefined) set('previous_json', 'previous', JSON.stringify(patch.previous));
      db.prepare(`update uploads set ${sets.join(', ')} where id = @id`).run(params);
    },
  };
}

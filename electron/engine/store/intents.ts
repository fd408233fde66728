import type Database from 'better-sqlite3';
import type { Platform } from '../../../shared/canonical.ts';

/** Where an upload that was asked for stands before its journal row exists (store migration 005). */
export type IntentStatus = 'reading' | 'validated' | 'started' | 'refused' | 'failed' | 'abandoned';

export interface NewIntent {
  id: string;
  filePath: string;
  fileBytes: number;
  fileMtimeMs: number;
  clientRef: string;
  workspaceRef: string | null;
  platform: Platform | null;
}

export interface StoredIntent extends NewIntent {
  status: IntentStatus;
  sha256: string | null;
  validationId: string | null;
  uploadId: string | null;
  outcome: unknown;
  createdAt: string;
  updatedAt: string;
}

interface IntentRecord {
  id: string;
  file_path: string;
  file_bytes: number;
  file_mtime_ms: number;
  client_ref: string;
  workspace_ref: string | null;
  platform: Platform | null;
  status: IntentStatus;
  sha256: string | null;
  validation_id: string | null;
  upload_id: string | null;
  outcome_json: string | null;
  created_at: string;
  updated_at: string;
}

function fromRecord(r: IntentRecord): StoredIntent {
  return {
    id: r.id,
    filePath: r.file_path,
    fileBytes: r.file_bytes,
    fileMtimeMs: r.file_mtime_ms,
    clientRef: r.client_ref,
    workspaceRef: r.workspace_ref,
    platform: r.platform,
    status: r.status,
    sha256: r.sha256,
    validationId: r.validation_id,
    uploadId: r.upload_id,
    outcome: r.outcome_json === null ? null : (JSON.parse(r.outcome_json) as unknown),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function insertIntent(db: Database.Database, i: NewIntent, at: Date): void {
  db.prepare(
    `insert into upload_intents (id, file_path, file_bytes, file_mtime_ms, client_ref, workspace_ref, platform, status, created_at, updated_at)
     values (@id, @filePath, @fileBytes, @fileMtimeMs, @clientRef, @workspaceRef, @platform, 'reading', @at, @at)`,
  ).run({ ...i, at: at.toISOString() });
}

export function getIntent(db: Database.Database, id: string): StoredIntent | null {
  const r = db.prepare('select * from upload_intents where id = ?').get(id) as IntentRecord | undefined;
  return r ? fromRecord(r) : null;
}

/** The file was read: its content hash and the stored validation. */
export function markIntentValidated(db: Database.Database, id: string, v: { sha256: string | null; validationId: string }, at: Date): void {
  db.prepare(`update upload_intents set status = 'validated', sha256 = ?, validation_id = ?, updated_at = ? where id = ?`).run(
    v.sha256,
    v.validationId,
    at.toISOString(),
    id,
  );
}

/** The upload's journal row exists: call in the transaction that inserts it. */
export function markIntentStarted(db: Database.Database, id: string, uploadId: string, at: Date): void {
  db.prepare(`update upload_intents set status = 'started', upload_id = ?, updated_at = ? where id = ?`).run(
    uploadId,
    at.toISOString(),
    id,
  );
}

/** It ends here: refused (the file or the upload was refused), failed, or abandoned (resume could not finish it). */
export function closeIntent(
  db: Database.Database,
  id: string,
  status: 'refused' | 'failed' | 'abandoned',
  outcome: unknown,
  at: Date,
): void {
  db.prepare(`update upload_intents set status = ?, outcome_json = ?, updated_at = ? where id = ?`).run(
    status,
    JSON.stringify(outcome ?? null),
    at.toISOString(),
    id,
  );
}

/** Uploads asked for whose journal row was never written (the process stopped first), oldest first. */
export function pendingIntents(db: Database.Database): StoredIntent[] {
  const rows = db
    .prepare(`select * from upload_intents where status in ('reading', 'validated') order by created_at, rowid`)
    .all() as IntentRecord[];
  return rows.map(fromRecord);
}

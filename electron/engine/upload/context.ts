import type Database from 'better-sqlite3';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { CanonicalRow } from '../../../shared/canonical.ts';
import { AppError } from '../../../shared/errors.ts';
import type { ValidateReport } from '../../../shared/report.ts';
import type { ValidateFileOptions } from '../index.ts';
import { uploadJournal, type UploadJournal } from '../store/uploads.ts';
import type { RpcDeps } from './rpc.ts';
import { ConnectionFile, createSupabase, type Connection, type SessionStorage } from './session.ts';
import type { RunHooks } from './types.ts';

/** What the upload service needs from validation: the stored report and rows of a validated file. */
export interface ValidationSource {
  getValidation(id: string): { id: string; report: ValidateReport; filePath?: string } | null;
  validatedRows(id: string): Array<{ rowNumber: number; row: CanonicalRow }>;
  validateFile(path: string, options?: ValidateFileOptions): Promise<{ validationId: string; report: ValidateReport }>;
}

export interface UploadServiceDeps {
  db: Database.Database;
  home: string;
  now: () => Date;
  /** The engine clock's wait (the sign-in's patience, the ingest calls' retries); tests move the clock instead of sleeping. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  sessionStorage: SessionStorage;
  validations: ValidationSource;
  fetch?: typeof fetch;
  /** The ingest calls' retry policy and jitter (tests shorten or fix them); their waits are `sleep`'s. */
  rpc?: Pick<RpcDeps, 'retry' | 'random'>;
  concurrency?: number;
  /** How long to wait for the project before answering who is signed in from this computer (default 20 s). */
  patienceMs?: number;
}

/**
 * What every part of the upload service shares: its dependencies, the stored connection and the
 * local journal, and the few helpers each part needs. Built once per engine (no global state).
 */
export interface UploadContext {
  deps: UploadServiceDeps;
  db: Database.Database;
  now: () => Date;
  connections: ConnectionFile;
  journal: UploadJournal;
  /** A Supabase client made per call from the stored connection, so no sign-in leaks between calls. */
  client(conn: Connection): SupabaseClient;
  rpcDeps(sb: SupabaseClient, hooks?: RunHooks): RpcDeps;
  /** The stored validation, or INVALID_INPUT when this computer has no such validated file. */
  validation(validationId: string): { id: string; report: ValidateReport; filePath?: string };
}

export function createUploadContext(deps: UploadServiceDeps): UploadContext {
  return {
    deps,
    db: deps.db,
    now: deps.now,
    connections: ConnectionFile.inHome(deps.home),
    journal: uploadJournal(deps.db, deps.now),
    client: (conn) => createSupabase(conn, deps.sessionStorage, deps.fetch),
    rpcDeps: (sb, hooks = {}) => ({ client: sb, ...deps.rpc, sleep: deps.sleep, ...(hooks.signal ? { signal: hooks.signal } : {}) }),
    validation(validationId) {
      const v = deps.validations.getValidation(validationId);
      if (!v) throw new AppError('INVALID_INPUT', `No validated file ${validationId} on this computer; validate the file first.`);
      return v;
    },
  };
}

// The validate part of the engine (`createEngine` adds uploads and history to it): all that
// `metricdrop validate` loads, without the upload's supabase-js.
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { Store } from './store/open.ts';
import { listAuditEvents, type AuditEvent } from './store/audit.ts';
import {
  getValidation,
  latestValidationFor,
  listValidations,
  recordValidation,
  validatedRows,
  type StoredValidation,
} from './store/validations.ts';
import { validateExport, type ValidateOptions, type ValidatedRow, type ValidationResult } from './validate/index.ts';
import type { UploadServiceDeps } from './upload/service.ts';
import type { SessionStorage } from './upload/session.ts';
import type { ValidateReport } from '../../shared/report.ts';
import { AppError } from '../../shared/errors.ts';
import type { CampaignSummary, SpendByDay } from '../../shared/ipc-contract.ts';
import { campaignSummaries, spendByDay } from './summaries.ts';
import type { ColumnMapping } from '../../shared/mapping.ts';
import { createMappingApi } from './mapping/api.ts';
import type { Clock, Logger } from './deps.ts';
import { BackgroundRecording } from './record/in-background.ts';
import type { SpareRecordingThread } from './record/spare.ts';

/**
 * What the engine is built from. The CLI, the Electron main process and tests pass these in; the
 * engine keeps no module-level state. Other parts add their dependencies here (an upload needs a
 * Supabase client factory, for example) as optional fields.
 */
export interface EngineDeps {
  /** The local SQLite store, migrated (`openStore`). */
  db: Store;
  clock: Clock;
  logger: Logger;
  /** Ids for validations (default: random UUIDs). */
  newId?: () => string;
  /** The data folder (session, connection); default: the folder of the store file. */
  home?: string;
  /** Where the Supabase session is kept: the desktop app passes an OS-keychain-encrypted one. */
  sessionStorage?: SessionStorage;
  /** Network access for supabase-js (tests inject faults here). */
  fetch?: typeof fetch;
  /** Retry policy and jitter of ingest calls (tests shorten or fix them); the waits between tries are on `clock`. */
  rpc?: UploadServiceDeps['rpc'];
  /** How long to wait for the project before answering who is signed in from this computer (default 20 s). */
  patienceMs?: number;
  /**
   * The compiled row-recording thread (`record/worker.ts`; the command line passes its bundle's):
   * with it, a file's rows are recorded on that thread while the file is still read. Without it
   * (or for a store in memory) they are recorded after reading, on this thread. The desktop app's
   * host runs uploads beside validations, whose writes must not wait for a long read to end.
   * `spare`: a thread of `worker` the caller started ahead of need, taken by the first recording.
   */
  rowRecorder?: { worker: URL; rowsPerRun?: number; spare?: SpareRecordingThread | undefined };
}

export interface ValidationOutcome {
  validationId: string;
  report: ValidateReport;
  /** Valid canonical rows in file order (empty when the file is refused); built on first use. */
  readonly rows: ValidatedRow[];
}

/** `validateFile`'s options: the validator's, plus a column mapping confirmed for this file. */
export interface ValidateFileOptions {
  platform?: ValidateOptions['platform'];
  fileName?: ValidateOptions['fileName'];
  /** A mapping the user confirmed for this file (`--map`, the app's mapping step). */
  mapping?: ColumnMapping | undefined;
  /** Save a confirmed mapping (or a `--platform` that decided an ambiguous header) for files with the same header (default true). */
  saveMapping?: boolean | undefined;
}

/** The validate part of the engine's API; see docs/architecture.md "Engine API (validate)". */
export function createValidationApi(deps: EngineDeps) {
  const newId = deps.newId ?? randomUUID;
  const mappings = createMappingApi({ db: deps.db, clock: deps.clock });
  const storedValidation = (validationId: string): StoredValidation => {
    const v = getValidation(deps.db, validationId);
    if (!v) throw new AppError('INVALID_INPUT', 'That validation is no longer on this computer. Add the file again.');
    return v;
  };
  const backgroundRecording = (validationId: string): BackgroundRecording | null =>
    deps.rowRecorder && deps.db.name !== ':memory:'
      ? new BackgroundRecording({ ...deps.rowRecorder, storeFile: deps.db.name, validationId })
      : null;
  /**
   * Ends a recording begun while the file was read: committed there (true), or rolled back, for
   * the caller to record it all here (false). A thread that failed leaves nothing behind.
   */
  const recordedInBackground = async (
    recording: BackgroundRecording | null,
    record: { id: string; at: Date; filePath: string; report: ValidateReport },
    result: ValidationResult,
    save: boolean,
  ): Promise<boolean> => {
    if (recording === null) return false;
    if (!recording.carriesRows || result.report.refused) {
      if (recording.carriesRows) deps.logger.debug?.('the recording thread rolled back', { validationId: record.id });
      recording.abort();
      return false;
    }
    try {
      const mapped = await recording.commit(record, { facts: result.facts, save, now: deps.clock.now().toISOString() });
      if (mapped === undefined) delete result.report.mapped;
      else result.report.mapped = mapped;
      return true;
    } catch (err) {
      deps.logger.warn('the recording thread failed; recording on this one', { validationId: record.id, error: String(err) });
      return false;
    }
  };
  const api = {
    /**
     * Reads, validates and records one export (report, issues, valid rows, audit event). A mapping
     * confirmed earlier for the same header is applied; one confirmed now is saved when it is accepted.
     */
    async validateFile(path: string, options: ValidateFileOptions = {}): Promise<ValidationOutcome> {
      const started = deps.clock.now();
      const validationId = newId();
      const recording = backgroundRecording(validationId);
      // A .zip of exports: each file inside is validated and recorded on its own, then the archive.
      const validateEntry = (p: string, o: { fileName: string }) =>
        api.validateFile(p, { platform: options.platform, fileName: o.fileName });
      let result: ValidationResult;
      try {
        result = await validateExport(path, {
          platform: options.platform,
          fileName: options.fileName,
          mapping: { given: options.mapping, saved: (signature, platform) => mappings.lookup(signature, platform) },
          now: () => deps.clock.now(),
          validateEntry,
          rows: recording ?? undefined,
        });
      } catch (err) {
        recording?.abort();
        throw err;
      }
      const save = options.saveMapping !== false;
      const record = { id: validationId, at: started, filePath: resolve(path), report: result.report };
      const whileReading = await recordedInBackground(recording, record, result, save);
      if (!whileReading) {
        mappings.settle(result.report, result.facts, save);
        recordValidation(deps.db, { ...record, rows: result.table });
      }
      deps.logger.info('validated', {
        validationId,
        file: result.report.file,
        refused: result.report.refused?.code ?? null,
        rows: result.report.rows,
        recordedWhileReading: whileReading,
        ms: deps.clock.now().getTime() - started.getTime(),
      });
      return {
        validationId,
        report: result.report,
        get rows() {
          return result.rows;
        },
      };
    },
    getValidation(validationId: string): StoredValidation | null {
      return getValidation(deps.db, validationId);
    },
    latestValidationFor(sha256: string): StoredValidation | null {
      return latestValidationFor(deps.db, sha256);
    },
    validatedRows(validationId: string): ValidatedRow[] {
      return validatedRows(deps.db, validationId);
    },
    /** Exact spend per calendar day of the file's valid rows (every day of its range), summed in the store. */
    spendByDay(validationId: string): SpendByDay {
      const v = storedValidation(validationId);
      return spendByDay(deps.db, validationId, v.report.dateRange, v.report.currency);
    },
    /** The file's campaigns with their exact spend, ad sets and ads, highest spend first, summed in the store. */
    campaigns(validationId: string): CampaignSummary[] {
      storedValidation(validationId);
      return campaignSummaries(deps.db, validationId);
    },
    listValidations(opts: { limit?: number } = {}): StoredValidation[] {
      return listValidations(deps.db, opts);
    },
    auditEvents(opts: { limit?: number; subjectId?: string } = {}): AuditEvent[] {
      return listAuditEvents(deps.db, opts);
    },
    /** Saved column mappings: list, get, change, forget. */
    mappings: { list: mappings.list, get: mappings.get, change: mappings.change, forget: mappings.forget },
  };
  return api;
}

export type ValidationApi = ReturnType<typeof createValidationApi>;

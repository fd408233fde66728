import { randomUUID } from 'node:crypto';
import { basename, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { CanonicalRow, Platform } from '../../../shared/canonical.ts';
import { AppError, isResumable, type AppErrorShape } from '../../../shared/errors.ts';
import type { Plan, UploadMode, UploadReport, ValidateReport } from '../../../shared/report.ts';
import type { ValidateFileOptions } from '../index.ts';
import { recordAuditEvent } from '../store/audit.ts';
import {
  closeIntent,
  getIntent,
  insertIntent,
  markIntentStarted,
  markIntentValidated,
  pendingIntents,
  type StoredIntent,
} from '../store/intents.ts';
import { unreadReport } from '../validate/index.ts';
import { contentChanged, fileStamp, whyNotTheSameFile } from './intents.ts';
import { validatedRowCount, validatedRowsPage } from '../store/validations.ts';
import {
  getUpload,
  insertUpload,
  markCommitOfDryRun,
  interruptedUploads,
  listUploads,
  uploadSteps,
  type UploadFilter,
  type StoredStep,
  knownClients,
  localKnowledge,
  previousCommitOf,
  recordCommittedValidation,
  rememberClients,
  uploadJournal,
  type KnownClient,
  type NewUpload,
  type StoredUpload,
} from '../store/uploads.ts';
import { currentUser, fetchClients, pickClient, pickClientOffline, signInWithPassword, type SignedInUser } from './account.ts';
import { computeLocalPlan } from './local-plan.ts';
import { PreflightAnswer, PreviousAnswer, STAGE_BATCH_ROWS } from './protocol.ts';
import { callRpc, type RpcDeps } from './rpc.ts';
import { runUpload, type UploadProgress, type UploadSource } from './runner.ts';
import { ConnectionFile, createSupabase, SESSION_STORAGE_KEY, type Connection, type SessionStorage } from './session.ts';

/** What the upload service needs from validation: the stored report and rows of a validated file. */
export interface ValidationSource {
  getValidation(id: string): { id: string; report: ValidateReport; filePath?: string } | null;
  validatedRows(id: string): Array<{ rowNumber: number; row: CanonicalRow }>;
  validateFile(path: string, options?: ValidateFileOptions): Promise<{ validationId: string; report: ValidateReport }>;
}

/** How `uploadFile` reads the file, and what must happen between reading it and uploading (a sign-in). */
export interface UploadFileOptions {
  validate?: ValidateFileOptions;
  beforeUpload?: () => Promise<void>;
}

export interface UploadServiceDeps {
  db: Database.Database;
  home: string;
  now: () => Date;
  sessionStorage: SessionStorage;
  validations: ValidationSource;
  fetch?: typeof fetch;
  /** Retry policy and sleep, for tests that must not wait seconds. */
  rpc?: Pick<RpcDeps, 'retry' | 'sleep' | 'random'>;
  concurrency?: number;
}

export interface Target {
  clientRef: string;
  workspaceRef?: string;
}

/** An upload's target, and optionally the server dry run of the same file it should commit. */
export interface UploadTarget extends Target {
  /** Commit this dry run's staged rows when it is still the file's staged dry run for that client; else upload afresh. */
  dryRunId?: string | undefined;
}

export interface RunHooks {
  onProgress?: (p: UploadProgress) => void;
  signal?: AbortSignal;
}

/** A past upload as the previous-upload warning shows it: when and by whom. */
export interface PreviousUpload {
  uploadId: string;
  at: string;
  by: string | null;
}

export interface UploadResult extends UploadReport {
  previous: PreviousUpload | null;
}

/** A .zip of exports is validated file by file; each file inside is its own upload, chosen on purpose. */
export function archiveRefusal(report: ValidateReport): { code: 'UNKNOWN_FORMAT'; message: string } | null {
  if (!report.entries || report.refused) return null;
  return {
    code: 'UNKNOWN_FORMAT',
    message: `${report.file} is an archive of ${report.entries.length} files. Unpack it and upload each export on its own (\`metricdrop validate\` shows what each file inside holds).`,
  };
}

function refusedReport(report: ValidateReport, mode: UploadMode, error: AppErrorShape | null): UploadResult {
  return { ...report, uploadId: null, mode, status: null, plan: null, error, previous: null };
}

/**
 * Sign-in, dry run, upload, resume and the upload history: the engine's side of issue 4. Built with
 * its dependencies; holds no global state. The Supabase client is made per call from the stored
 * connection so a sign-in, a sign-out or another data folder never leaks between calls.
 */
export function createUploadService(deps: UploadServiceDeps) {
  const connections = ConnectionFile.inHome(deps.home);
  const journal = uploadJournal(deps.db, deps.now);

  /** One line of the local audit log per dry run, upload and resume outcome. */
  function audit(kind: string, subjectId: string | null, result: UploadResult, extra: Record<string, unknown> = {}): void {
    recordAuditEvent(deps.db, {
      at: deps.now(),
      kind,
      subjectId,
      detail: {
        file: result.file,
        sha256: result.sha256,
        platform: result.platform,
        level: result.level,
        rows: result.rows,
        uploadId: result.uploadId,
        mode: result.mode,
        status: result.status,
        plan: result.plan,
        error: result.error,
        previous: result.previous,
        // The column mapping the file was read with (issue 8), as data_uploads.summary records it.
        mapped: result.mapped ?? null,
        ...extra,
      },
    });
  }

  /** Milliseconds spent in each stage of an upload (summed over its batches), for the audit log. */
  function stageTimings(uploadId: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const s of uploadSteps(deps.db, uploadId)) {
      const stage = s.step.split(':')[0] ?? s.step;
      out[stage] = (out[stage] ?? 0) + s.ms;
    }
    return out;
  }

  const client = (conn: Connection): SupabaseClient => createSupabase(conn, deps.sessionStorage, deps.fetch);

  async function signedIn(): Promise<{ conn: Connection; sb: SupabaseClient; user: SignedInUser } | null> {
    const conn = connections.read();
    if (!conn) return null;
    const sb = client(conn);
    const user = await currentUser(sb);
    return user ? { conn, sb, user } : null;
  }

  /** The signed-in session, or NOT_SIGNED_IN for what needs the server. */
  async function requireSession(): Promise<{ conn: Connection; sb: SupabaseClient; user: SignedInUser }> {
    const session = await signedIn();
    if (!session) throw new AppError('NOT_SIGNED_IN', 'Not signed in. Run `metricdrop login` (or sign in in the app) first.');
    return session;
  }

  function rpcDeps(sb: SupabaseClient, hooks: RunHooks = {}): RpcDeps {
    return { client: sb, ...deps.rpc, ...(hooks.signal ? { signal: hooks.signal } : {}) };
  }

  async function refreshClients(conn: Connection, sb: SupabaseClient, user: SignedInUser): Promise<KnownClient[]> {
    const list = await fetchClients(sb, user);
    rememberClients(deps.db, conn.url, user.id, list, deps.now());
    return list;
  }

  function validationOrThrow(validationId: string) {
    const v = deps.validations.getValidation(validationId);
    if (!v) throw new AppError('INVALID_INPUT', `No validated file ${validationId} on this computer; validate the file first.`);
    return v;
  }

  /** The upload's rows, read from the local store a batch at a time as staging asks for them. */
  function sourceOf(validationId: string): UploadSource {
    return {
      rows: (offset, limit) =>
        validatedRowsPage(deps.db, validationId, offset, limit).map((r) => ({ row_number: r.rowNumber, payload: r.row })),
    };
  }

  function previousLocal(sha256: string, clientId: string, exceptId: string): PreviousUpload | null {
    const p = previousCommitOf(deps.db, sha256, clientId, exceptId);
    return p ? { uploadId: p.id, at: p.createdAt, by: p.userEmail } : null;
  }

  function previousFromServer(previous: unknown): PreviousUpload | null {
    const p = PreviousAnswer.safeParse(previous);
    return p.success && p.data ? { uploadId: p.data.id, at: p.data.created_at, by: p.data.uploaded_by_email ?? null } : null;
  }

  /** Refusals the app can see before sending anything: the server checks them again. */
  function precheck(report: ValidateReport, target: KnownClient, mode: UploadMode): AppErrorShape | null {
    if (report.refused) return report.refused;
    if (mode === 'COMMIT' && report.rows.invalid > 0) {
      return { code: 'INVALID_VALUE', message: `${report.rows.invalid} row(s) have errors; fix them (see the issues) before uploading.` };
    }
    if (report.rows.valid === 0) return { code: 'INVALID_VALUE', message: 'The file has no valid data rows to upload.' };
    if (report.currency !== null && target.currency !== '' && report.currency !== target.currency) {
      return {
        code: 'CURRENCY_MISMATCH',
        message: `The file is in ${report.currency} but ${target.clientName} reports in ${target.currency}. Export the report in ${target.currency} or pick the right client.`,
      };
    }
    if (mode === 'COMMIT' && target.role === 'viewer') {
      return {
        code: 'NOT_AUTHORIZED',
        message: `You are a viewer in ${target.workspaceName}; ask an owner or admin to make you a member to upload.`,
      };
    }
    return null;
  }

  async function startServerUpload(
    session: { conn: Connection; sb: SupabaseClient; user: SignedInUser },
    validationId: string,
    target: KnownClient,
    mode: UploadMode,
    hooks: RunHooks,
    intentId: string | null = null,
  ): Promise<UploadResult> {
    const v = validationOrThrow(validationId);
    const report = v.report;
    const refusal = precheck(report, target, mode);
    if (refusal) {
      if (intentId) closeIntent(deps.db, intentId, 'refused', refusal, deps.now());
      return refusedReport(report, mode, refusal);
    }
    // A report that is not refused always names its platform and level (validate/index.ts).
    if (report.platform === null || report.level === null)
      throw new Error(`validation ${validationId} has no platform or level but was not refused`);
    const id = randomUUID();
    const row: NewUpload = {
      id,
      validationId,
      workspaceId: target.workspaceId,
      clientId: target.clientId,
      clientName: target.clientName,
      platform: report.platform,
      mode,
      fileName: report.file,
      sha256: report.sha256 ?? '',
      rowCount: validatedRowCount(deps.db, validationId),
      level: report.level,
      currency: report.currency,
      userId: session.user.id,
      userEmail: session.user.email,
      serverUrl: session.conn.url,
      stageBatchRows: STAGE_BATCH_ROWS,
    };
    // The journal row and the end of the intent together: a crash leaves one of them, never both.
    deps.db.transaction(() => {
      insertUpload(deps.db, row, deps.now());
      if (intentId) markIntentStarted(deps.db, intentId, id, deps.now());
    })();
    return await continueUpload(session, getUpload(deps.db, id) as StoredUpload, sourceOf(validationId), hooks, { resume: false });
  }

  async function continueUpload(
    session: { sb: SupabaseClient },
    up: StoredUpload,
    source: UploadSource,
    hooks: RunHooks,
    how: { resume: boolean; promote?: boolean },
  ): Promise<UploadResult> {
    const report = validationOrThrow(up.validationId).report;
    const base = { ...report, uploadId: up.id, mode: up.mode };
    let result: UploadResult;
    try {
      const outcome = await runUpload(
        { rpc: rpcDeps(session.sb, hooks), journal, now: () => deps.now().getTime() },
        {
          uploadId: up.id,
          workspaceId: up.workspaceId,
          clientId: up.clientId,
          platform: up.platform,
          mode: up.mode,
          fileName: up.fileName,
          sha256: up.sha256,
          bytes: report.bytes,
          rowCount: up.rowCount,
          level: up.level,
          currency: up.currency,
          stageBatchRows: up.stageBatchRows,
          columnMapping: report.mapped
            ? {
                platform: report.mapped.platform,
                fields: report.mapped.fields,
                confirmed_at: report.mapped.confirmedAt,
                source: report.mapped.source,
                mapping_id: report.mapped.id,
              }
            : null,
        },
        source,
        {
          resume: how.resume,
          promote: how.promote ?? false,
          ...(deps.concurrency ? { concurrency: deps.concurrency } : {}),
          ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
        },
      );
      if (up.mode === 'COMMIT' && outcome.status === 'completed') {
        recordCommittedValidation(deps.db, up.clientId, up.platform, up.id, up.validationId);
      }
      const previous =
        previousFromServer(outcome.previous) ??
        previousFromServer(getUpload(deps.db, up.id)?.previous) ??
        previousLocal(up.sha256, up.clientId, up.id);
      result = { ...base, status: outcome.status, plan: outcome.plan, error: null, previous };
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      result = { ...base, status: getUpload(deps.db, up.id)?.serverStatus ?? null, plan: null, error: err.toJSON(), previous: null };
    }
    audit(up.mode === 'COMMIT' ? 'upload' : 'dry-run', up.id, result, {
      client: up.clientName,
      user: up.userEmail,
      resumed: how.resume,
      stageMs: stageTimings(up.id),
    });
    return result;
  }

  /**
   * Gives up a server dry run that will not be committed, so it stops holding one of the
   * workspace's three upload slots (its staged rows go with the staging cleanup).
   */
  async function discardDryRun(uploadId: string): Promise<void> {
    const session = await requireSession();
    const up = getUpload(deps.db, uploadId);
    if (!up || up.mode !== 'FULL_DRY_RUN') throw new AppError('UPLOAD_NOT_FOUND', `No dry run ${uploadId} on this computer.`);
    await callRpc(rpcDeps(session.sb), 'fail_upload', {
      p_upload_id: uploadId,
      p_code: 'CANCELLED',
      p_message: 'The dry run was discarded without committing it.',
      p_stage: 'finish',
    });
    journal.setState(uploadId, { serverStatus: 'failed' });
  }

  /**
   * Gives up this file's server dry runs still awaiting commit, so a new dry run or a fresh upload
   * does not leave them holding the workspace's upload slots for 24 hours (best effort: offline,
   * they expire on the server).
   */
  async function discardStagedDryRuns(validationId: string, except?: string): Promise<void> {
    const staged = listUploads(deps.db, { limit: 1000 }).filter(
      (u) => u.validationId === validationId && u.mode === 'FULL_DRY_RUN' && u.serverStatus === 'staged' && u.id !== except,
    );
    for (const u of staged) await discardDryRun(u.id).catch(() => undefined);
  }

  async function commitDryRun(uploadId: string, hooks: RunHooks = {}): Promise<UploadResult> {
    const session = await requireSession();
    const up = getUpload(deps.db, uploadId);
    if (!up || up.mode !== 'FULL_DRY_RUN') throw new AppError('UPLOAD_NOT_FOUND', `No dry run ${uploadId} on this computer.`);
    markCommitOfDryRun(deps.db, uploadId);
    return await continueUpload(session, { ...up, mode: 'COMMIT' }, sourceOf(up.validationId), hooks, { resume: true, promote: true });
  }

  async function whoamiOffline(): Promise<{ user: SignedInUser; url: string; online: boolean; clients: KnownClient[] } | null> {
    const conn = connections.read();
    if (!conn?.userId) return null;
    if (!(await deps.sessionStorage.getItem(SESSION_STORAGE_KEY))) return null;
    return {
      user: { id: conn.userId, email: conn.email ?? '' },
      url: conn.url,
      online: false,
      clients: knownClients(deps.db, conn.url, conn.userId),
    };
  }

  // ---- Uploads asked for, recorded before the file is read (store/intents.ts, upload/intents.ts) ----

  function recordIntent(path: string, stamp: { bytes: number; mtimeMs: number }, target: Target, platform: Platform | null): string {
    const id = randomUUID();
    const filePath = resolve(path);
    insertIntent(
      deps.db,
      {
        id,
        filePath,
        fileBytes: stamp.bytes,
        fileMtimeMs: stamp.mtimeMs,
        clientRef: target.clientRef,
        workspaceRef: target.workspaceRef ?? null,
        platform,
      },
      deps.now(),
    );
    recordAuditEvent(deps.db, {
      at: deps.now(),
      kind: 'upload-asked',
      subjectId: id,
      detail: { file: filePath, bytes: stamp.bytes, client: target.clientRef },
    });
    return id;
  }

  /** Signs in if needed, picks the client and begins the upload of a validated file; the intent ends or is handed on. */
  async function commitValidated(
    intentId: string | null,
    validationId: string,
    target: UploadTarget,
    hooks: RunHooks,
  ): Promise<UploadResult> {
    try {
      const session = await requireSession();
      const clients = await refreshClients(session.conn, session.sb, session.user);
      const picked = pickClient(clients, target.clientRef, target.workspaceRef);
      const fresh = async () => {
        await discardStagedDryRuns(validationId);
        return await startServerUpload(session, validationId, picked, 'COMMIT', hooks, intentId);
      };
      if (target.dryRunId === undefined) return await fresh();
      const dry = getUpload(deps.db, target.dryRunId);
      const committable =
        dry !== null &&
        dry.mode === 'FULL_DRY_RUN' &&
        dry.validationId === validationId &&
        dry.clientId === picked.clientId &&
        dry.status === 'staged' &&
        dry.serverStatus === 'staged';
      if (!committable) return await fresh();
      await discardStagedDryRuns(validationId, dry.id);
      // The dry run's journal row carries it from here.
      if (intentId) markIntentStarted(deps.db, intentId, dry.id, deps.now());
      const committed = await commitDryRun(dry.id, hooks);
      return committed.error?.code === 'UPLOAD_EXPIRED' ? await fresh() : committed;
    } catch (err) {
      // Trouble with the network stays resumable; a refusal (not signed in, no such client) ends it.
      if (intentId && err instanceof AppError && !isResumable(err.code)) closeIntent(deps.db, intentId, 'failed', err.toJSON(), deps.now());
      throw err;
    }
  }

  /** Reads and validates the file, then uploads it; `intent` (on resume) must find the content it read before. */
  async function readAndCommit(
    intentId: string | null,
    path: string,
    target: Target,
    hooks: RunHooks,
    opts: UploadFileOptions,
    intent: StoredIntent | null = null,
  ): Promise<UploadResult> {
    const validated = await deps.validations.validateFile(path, opts.validate ?? {});
    const base = refusedReport(validated.report, 'COMMIT', null);
    if (intent?.sha256 && validated.report.sha256 !== intent.sha256) return abandon(intent, contentChanged(intent));
    if (intentId)
      markIntentValidated(deps.db, intentId, { sha256: validated.report.sha256, validationId: validated.validationId }, deps.now());
    const refused = validated.report.refused ?? archiveRefusal(validated.report);
    if (refused) {
      if (intentId) closeIntent(deps.db, intentId, 'refused', refused, deps.now());
      return { ...base, refused };
    }
    try {
      await opts.beforeUpload?.();
      return await commitValidated(intentId, validated.validationId, target, hooks);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (intentId && !isResumable(err.code)) closeIntent(deps.db, intentId, 'failed', err.toJSON(), deps.now());
      return { ...base, error: err.toJSON() };
    }
  }

  /** An intent resume cannot finish: recorded, audited and answered as a refusal saying why. */
  function abandon(intent: StoredIntent, why: string): UploadResult {
    const error: AppErrorShape = { code: 'FILE_CHANGED', message: why };
    closeIntent(deps.db, intent.id, 'abandoned', error, deps.now());
    recordAuditEvent(deps.db, {
      at: deps.now(),
      kind: 'upload-abandoned',
      subjectId: intent.id,
      detail: { file: intent.filePath, client: intent.clientRef, error },
    });
    return refusedReport(unreadReport(basename(intent.filePath), intent.fileBytes, error), 'COMMIT', error);
  }

  async function resumeIntent(intent: StoredIntent, hooks: RunHooks): Promise<UploadResult> {
    const why = await whyNotTheSameFile(intent);
    if (why) return abandon(intent, why);
    const target: Target = { clientRef: intent.clientRef, ...(intent.workspaceRef ? { workspaceRef: intent.workspaceRef } : {}) };
    // A mapping confirmed with the upload was saved for the file's header, and is found again.
    return await readAndCommit(
      intent.id,
      intent.filePath,
      target,
      hooks,
      intent.platform ? { validate: { platform: intent.platform } } : {},
      intent,
    );
  }

  return {
    /** Signs in with email and password and remembers the project and the session in the data folder. */
    async signIn(input: { url: string; anonKey: string; email: string; password: string }) {
      const conn: Connection = { url: input.url.replace(/\/+$/, ''), anonKey: input.anonKey, email: input.email };
      const sb = client(conn);
      const user = await signInWithPassword(sb, input.email, input.password);
      connections.write({ ...conn, userId: user.id });
      const clients = await refreshClients(conn, sb, user);
      return { user, url: conn.url, clients };
    },

    async signOut(): Promise<void> {
      const conn = connections.read();
      if (conn) {
        // Revokes the refresh token on the server when reachable; the local session goes either way.
        await client(conn)
          .auth.signOut()
          .catch(() => undefined);
        connections.write({ url: conn.url, anonKey: conn.anonKey, ...(conn.email ? { email: conn.email } : {}) });
      }
    },

    /** Who is signed in and which clients they can use; offline, what was seen last. */
    async whoami(): Promise<{ user: SignedInUser; url: string; online: boolean; clients: KnownClient[] } | null> {
      const conn = connections.read();
      if (!conn?.userId) return null;
      const s = await signedIn().catch(() => null);
      if (s) {
        try {
          return { user: s.user, url: conn.url, online: true, clients: await refreshClients(s.conn, s.sb, s.user) };
        } catch (err) {
          if (!(err instanceof AppError) || err.code !== 'NETWORK_ERROR') throw err;
        }
      }
      return await whoamiOffline();
    },

    /** Who was signed in here and the clients seen last, without asking the project (marked offline). */
    whoamiOffline,

    /**
     * The dry run. Signed in and online: the server's FULL_DRY_RUN plan (rows staged there, nothing
     * written to dimensions or facts), which replaces this file's earlier staged dry runs; kept
     * staged for `upload(…, { dryRunId })` unless `keep: false`. Otherwise: a plan against what this
     * computer uploaded before.
     */
    async dryRun(validationId: string, target: Target, hooks: RunHooks = {}, opts: { keep?: boolean } = {}): Promise<UploadResult> {
      const v = validationOrThrow(validationId);
      const session = await signedIn().catch(() => null);
      const conn = connections.read();
      let clients: KnownClient[] = [];
      let online = false;
      if (session) {
        try {
          clients = await refreshClients(session.conn, session.sb, session.user);
          online = true;
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          // The project is unreachable or failing: plan offline from what was seen last, at once.
          clients = knownClients(deps.db, session.conn.url, session.user.id);
        }
      } else if (conn?.userId) clients = knownClients(deps.db, conn.url, conn.userId);
      const picked = online
        ? pickClient(clients, target.clientRef, target.workspaceRef)
        : pickClientOffline(clients, target.clientRef, target.workspaceRef);
      if (session && online) {
        await discardStagedDryRuns(validationId);
        const result = await startServerUpload(session, validationId, picked, 'FULL_DRY_RUN', hooks);
        if (result.uploadId && result.status === 'staged' && opts.keep === false) {
          await discardDryRun(result.uploadId).catch(() => undefined);
        }
        if (!result.error || result.error.code !== 'NETWORK_ERROR') return result;
        // The server went away mid-plan: nothing to resume for a dry run, plan locally instead.
        if (result.uploadId) journal.setState(result.uploadId, { status: 'failed' });
      }
      const refusal = precheck(v.report, picked, 'FULL_DRY_RUN');
      if (refusal) return refusedReport(v.report, 'FULL_DRY_RUN', refusal);
      const plan: Plan = computeLocalPlan(
        deps.validations.validatedRows(validationId).map((r) => r.row),
        localKnowledge(deps.db, picked.clientId, v.report.platform ?? 'meta'),
      );
      const result: UploadResult = {
        ...v.report,
        uploadId: null,
        mode: 'FULL_DRY_RUN',
        status: null,
        plan,
        error: null,
        previous: previousLocal(v.report.sha256 ?? '', picked.clientId, ''),
      };
      audit('dry-run', validationId, result, { client: picked.clientName, offline: true });
      return result;
    },

    /**
     * Uploads a validated file for a client (COMMIT). With `dryRunId`: commits that server dry run's
     * staged rows as planned when it is this file's staged dry run for the same client, and uploads
     * afresh when it is not, or when the server has cleaned it up (UPLOAD_EXPIRED, after 24 hours).
     * A fresh upload first gives up the file's staged dry runs. The same rule for the CLI and the app.
     * The intent is recorded first, so an upload that stops before the server hears of it is offered
     * by `resume` (which reads the file again).
     */
    async upload(validationId: string, target: UploadTarget, hooks: RunHooks = {}): Promise<UploadResult> {
      const v = validationOrThrow(validationId);
      const stamp = v.filePath ? await fileStamp(v.filePath) : null;
      let intentId: string | null = null;
      if (v.filePath && stamp) {
        intentId = recordIntent(v.filePath, stamp, target, v.report.platform);
        markIntentValidated(deps.db, intentId, { sha256: v.report.sha256, validationId }, deps.now());
      }
      return await commitValidated(intentId, validationId, target, hooks);
    },

    /**
     * Reads, validates and uploads a file (COMMIT), recording the intent (path, size, modification
     * time, client) before reading, so a process killed while reading is not forgotten.
     */
    async uploadFile(path: string, target: Target, hooks: RunHooks = {}, opts: UploadFileOptions = {}): Promise<UploadResult> {
      const stamp = await fileStamp(path);
      const intentId = stamp ? recordIntent(path, stamp, target, opts.validate?.platform ?? null) : null;
      return await readAndCommit(intentId, path, target, hooks, opts);
    },

    /** Uploads asked for that stopped before the server heard of them (the resume banner offers them too). */
    pendingStarts: (): StoredIntent[] => pendingIntents(deps.db),

    discardDryRun,

    /** Commits the rows a finished server dry run already staged (no re-staging). */
    commitDryRun,

    /**
     * Continues one interrupted upload, or all of them (oldest first): those the server knows from
     * where they stopped, and those that stopped before it heard of them from the file, when the
     * file is still the one asked for (else the answer says it must be uploaded again, and why).
     */
    async resume(uploadId: string | undefined, hooks: RunHooks = {}): Promise<UploadResult[]> {
      const session = await requireSession();
      const resumeUpload = (up: StoredUpload) => continueUpload(session, up, sourceOf(up.validationId), hooks, { resume: true });
      if (uploadId !== undefined) {
        const up = getUpload(deps.db, uploadId);
        if (up) return [await resumeUpload(up)];
        const intent = getIntent(deps.db, uploadId);
        if (intent && (intent.status === 'reading' || intent.status === 'validated')) return [await resumeIntent(intent, hooks)];
        throw new AppError('UPLOAD_NOT_FOUND', `No upload ${uploadId} in this computer's history.`);
      }
      const work = [
        ...pendingIntents(deps.db).map((i) => ({ at: i.createdAt, run: () => resumeIntent(i, hooks) })),
        ...interruptedUploads(deps.db).map((u) => ({ at: u.createdAt, run: () => resumeUpload(u) })),
      ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
      const results: UploadResult[] = [];
      for (const w of work) results.push(await w.run());
      return results;
    },

    interrupted: () => interruptedUploads(deps.db),

    /** The uploads and server dry runs this computer made, newest first, filterable. */
    history: (filter: UploadFilter = {}) => listUploads(deps.db, filter),

    /** One upload with each step's timing and answer, for the history's detail view. */
    historyDetail(uploadId: string): { upload: StoredUpload; steps: StoredStep[] } | null {
      const upload = getUpload(deps.db, uploadId);
      return upload ? { upload, steps: uploadSteps(deps.db, uploadId) } : null;
    },

    /** The project's readiness checklist, parsed: an answer of another shape is a SERVER_ERROR naming the field. */
    async preflight(): Promise<PreflightAnswer> {
      const session = await requireSession();
      const answer = PreflightAnswer.safeParse(await callRpc(rpcDeps(session.sb), 'preflight', {}));
      if (answer.success) return answer.data;
      const first = answer.error.issues[0];
      throw new AppError(
        'SERVER_ERROR',
        `The project's preflight() answered in a shape this version of metricdrop does not know (${first?.path.join('.') || 'the answer'}: ${first?.message ?? 'unexpected'}). Apply the latest migrations.`,
      );
    },

    connection: () => connections.read(),
  };
}

export type UploadService = ReturnType<typeof createUploadService>;

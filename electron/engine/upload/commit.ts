import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { Platform } from '../../../shared/canonical.ts';
import { AppError, isResumable } from '../../../shared/errors.ts';
import type { UploadResult } from '../../../shared/report.ts';
import { recordAuditEvent } from '../store/audit.ts';
import { closeIntent, insertIntent, markIntentStarted, markIntentValidated, type StoredIntent } from '../store/intents.ts';
import { getUpload } from '../store/uploads.ts';
import { pickClient } from './account.ts';
import type { UploadContext } from './context.ts';
import type { DryRuns } from './dry-run.ts';
import { abandonIntent, contentChanged, fileStamp, type FileStamp } from './intents.ts';
import { archiveRefusal, unsentResult } from './prechecks.ts';
import type { ServerRuns } from './server-run.ts';
import type { SignIn } from './sign-in.ts';
import type { FileRunOptions, RunHooks, Target, UploadTarget } from './types.ts';

/**
 * Uploads (COMMIT): of a validated file, or of a file read now. The intent is recorded first
 * (store/intents.ts), so an upload that stops before the server hears of it is offered by `resume`.
 * Whether a staged server dry run is committed or the file uploaded afresh is decided here, once.
 */
export function createCommits(ctx: UploadContext, signIn: SignIn, runs: ServerRuns, dryRuns: DryRuns) {
  function recordIntent(path: string, stamp: FileStamp, target: Target, platform: Platform | null): string {
    const id = randomUUID();
    const filePath = resolve(path);
    // One transaction: a crash between the two would leave an intent that the audit log never mentions.
    ctx.db.transaction(() => {
      insertIntent(
        ctx.db,
        {
          id,
          filePath,
          fileBytes: stamp.bytes,
          fileMtimeMs: stamp.mtimeMs,
          clientRef: target.clientRef,
          workspaceRef: target.workspaceRef ?? null,
          platform,
        },
        ctx.now(),
      );
      recordAuditEvent(ctx.db, {
        at: ctx.now(),
        kind: 'upload-asked',
        subjectId: id,
        detail: { file: filePath, bytes: stamp.bytes, client: target.clientRef },
      });
    })();
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
      const session = await signIn.requireSession();
      const clients = await signIn.refreshClients(session);
      const picked = pickClient(clients, target.clientRef, target.workspaceRef);
      const fresh = async () => {
        await dryRuns.discardStagedDryRuns(validationId);
        return await runs.start(session, validationId, picked, 'COMMIT', hooks, intentId);
      };
      if (target.dryRunId === undefined) return await fresh();
      const dry = getUpload(ctx.db, target.dryRunId);
      const committable =
        dry !== null &&
        dry.mode === 'FULL_DRY_RUN' &&
        dry.validationId === validationId &&
        dry.clientId === picked.clientId &&
        dry.status === 'staged' &&
        dry.serverStatus === 'staged';
      if (!committable) return await fresh();
      await dryRuns.discardStagedDryRuns(validationId, dry.id);
      // The dry run's journal row carries it from here.
      if (intentId) markIntentStarted(ctx.db, intentId, dry.id, ctx.now());
      const committed = await dryRuns.commitDryRun(dry.id, hooks);
      return committed.error?.code === 'UPLOAD_EXPIRED' ? await fresh() : committed;
    } catch (err) {
      // Trouble with the network stays resumable; a refusal (not signed in, no such client) ends it.
      if (intentId && err instanceof AppError && !isResumable(err.code)) closeIntent(ctx.db, intentId, 'failed', err.toJSON(), ctx.now());
      throw err;
    }
  }

  /**
   * Reads and validates the file, then uploads it; on resume, `intent` must find the content it
   * read before (else it is abandoned, saying why). Refusals and failures are answered, not thrown.
   */
  async function readAndCommit(
    intentId: string | null,
    path: string,
    target: Target,
    hooks: RunHooks,
    opts: FileRunOptions,
    intent: StoredIntent | null = null,
  ): Promise<UploadResult> {
    const validated = await ctx.deps.validations.validateFile(path, opts.validate ?? {});
    const base = unsentResult(validated.report, 'COMMIT', null);
    if (intent?.sha256 && validated.report.sha256 !== intent.sha256) return abandonIntent(ctx, intent, contentChanged(intent));
    if (intentId)
      markIntentValidated(ctx.db, intentId, { sha256: validated.report.sha256, validationId: validated.validationId }, ctx.now());
    const refused = validated.report.refused ?? archiveRefusal(validated.report);
    if (refused) {
      if (intentId) closeIntent(ctx.db, intentId, 'refused', refused, ctx.now());
      return { ...base, refused };
    }
    try {
      await opts.beforeServer?.();
      return await commitValidated(intentId, validated.validationId, target, hooks);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (intentId && !isResumable(err.code)) closeIntent(ctx.db, intentId, 'failed', err.toJSON(), ctx.now());
      return { ...base, error: err.toJSON() };
    }
  }

  return {
    readAndCommit,

    /**
     * Uploads a validated file for a client (COMMIT). With `dryRunId`: commits that server dry run's
     * staged rows as planned when it is this file's staged dry run for the same client, and uploads
     * afresh when it is not, or when the server has cleaned it up (UPLOAD_EXPIRED, after 24 hours).
     * A fresh upload first gives up the file's staged dry runs. The same rule for the CLI and the app.
     */
    async upload(validationId: string, target: UploadTarget, hooks: RunHooks = {}): Promise<UploadResult> {
      const v = ctx.validation(validationId);
      const stamp = v.filePath ? await fileStamp(v.filePath) : null;
      let intentId: string | null = null;
      if (v.filePath && stamp) {
        intentId = recordIntent(v.filePath, stamp, target, v.report.platform);
        markIntentValidated(ctx.db, intentId, { sha256: v.report.sha256, validationId }, ctx.now());
      }
      return await commitValidated(intentId, validationId, target, hooks);
    },

    /**
     * Reads, validates and uploads a file (COMMIT), recording the intent (path, size, modification
     * time, client) before reading, so a process killed while reading is not forgotten.
     */
    async uploadFile(path: string, target: Target, hooks: RunHooks = {}, opts: FileRunOptions = {}): Promise<UploadResult> {
      const stamp = await fileStamp(path);
      const intentId = stamp ? recordIntent(path, stamp, target, opts.validate?.platform ?? null) : null;
      return await readAndCommit(intentId, path, target, hooks, opts);
    },
  };
}

export type Commits = ReturnType<typeof createCommits>;

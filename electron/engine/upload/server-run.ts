import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/errors.ts';
import type { PreviousUpload, UploadMode, UploadResult } from '../../../shared/report.ts';
import { closeIntent, markIntentStarted } from '../store/intents.ts';
import type { KnownClient } from '../store/known-clients.ts';
import { localKnowledge, recordCommittedValidation, validationEntities, type MirrorResolution } from '../store/local-mirror.ts';
import { getUpload, insertUpload, previousCommitOf, type NewUpload, type StoredUpload } from '../store/uploads.ts';
import { validatedRowCount, validatedRowsPage } from '../store/validations.ts';
import { auditUploadResult, stageTimings } from './audit-log.ts';
import type { UploadContext } from './context.ts';
import { resolveLocally } from './local-plan.ts';
import { precheck, unsentResult } from './prechecks.ts';
import { PreviousAnswer, STAGE_BATCH_ROWS } from './protocol.ts';
import { runUpload, type UploadSource } from './runner.ts';
import type { SignedInSession } from './sign-in.ts';
import type { RunHooks } from './types.ts';

/**
 * An upload or dry run on the server: recorded in the local journal before anything is sent, run
 * stage by stage (runner.ts), and answered as an `UploadResult` with the audit log's entry.
 */
export function createServerRuns(ctx: UploadContext) {
  /** The upload's rows, read from the local store a batch at a time as staging asks for them. */
  function sourceOf(validationId: string): UploadSource {
    return {
      rows: (offset, limit) =>
        validatedRowsPage(ctx.db, validationId, offset, limit).map((r) => ({ row_number: r.rowNumber, payload: r.row })),
    };
  }

  /** This computer's last completed commit of the same content for the client. */
  function previousLocal(sha256: string, clientId: string, exceptId: string): PreviousUpload | null {
    const p = previousCommitOf(ctx.db, sha256, clientId, exceptId);
    return p ? { uploadId: p.id, at: p.createdAt, by: p.userEmail } : null;
  }

  function previousFromServer(previous: unknown): PreviousUpload | null {
    const p = PreviousAnswer.safeParse(previous);
    return p.success && p.data ? { uploadId: p.data.id, at: p.data.created_at, by: p.data.uploaded_by_email ?? null } : null;
  }

  /**
   * A completed commit goes into the local mirror as the server resolved it: an entity matched by
   * name is the mirror's entity of that name, a new ID takes over the one created by name.
   */
  function rememberCommit(up: StoredUpload): void {
    let resolutions: MirrorResolution[] = [];
    try {
      const resolved = resolveLocally(validationEntities(ctx.db, up.validationId), localKnowledge(ctx.db, up.clientId, up.platform));
      resolutions = [...resolved.values()].filter((r) => r.adopts || r.mirrorId !== r.externalId);
    } catch (err) {
      // The mirror has several entities of a name the server matched: keep the file's own ids.
      if (!(err instanceof AppError)) throw err;
    }
    recordCommittedValidation(ctx.db, up.clientId, up.platform, up.id, up.validationId, resolutions);
  }

  /** Checks what can be checked here, journals the upload (ending the intent with it) and runs it. */
  async function start(
    session: SignedInSession,
    validationId: string,
    target: KnownClient,
    mode: UploadMode,
    hooks: RunHooks,
    intentId: string | null = null,
  ): Promise<UploadResult> {
    const report = ctx.validation(validationId).report;
    const refusal = precheck(report, target, mode);
    if (refusal) {
      if (intentId) closeIntent(ctx.db, intentId, 'refused', refusal, ctx.now());
      return unsentResult(report, mode, refusal);
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
      rowCount: validatedRowCount(ctx.db, validationId),
      level: report.level,
      currency: report.currency,
      userId: session.user.id,
      userEmail: session.user.email,
      serverUrl: session.conn.url,
      stageBatchRows: STAGE_BATCH_ROWS,
    };
    // The journal row and the end of the intent together: a crash leaves one of them, never both.
    ctx.db.transaction(() => {
      insertUpload(ctx.db, row, ctx.now());
      if (intentId) markIntentStarted(ctx.db, intentId, id, ctx.now());
    })();
    return await proceed(session, getUpload(ctx.db, id) as StoredUpload, hooks, { resume: false });
  }

  /** Runs a journaled upload from where the server stands (`resume`), or from its beginning. */
  async function proceed(
    session: { sb: SignedInSession['sb'] },
    up: StoredUpload,
    hooks: RunHooks,
    how: { resume: boolean; promote?: boolean },
  ): Promise<UploadResult> {
    const report = ctx.validation(up.validationId).report;
    const base = { ...report, uploadId: up.id, mode: up.mode };
    let result: UploadResult;
    try {
      const outcome = await runUpload(
        { rpc: ctx.rpcDeps(session.sb, hooks), journal: ctx.journal, now: () => ctx.now().getTime() },
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
        sourceOf(up.validationId),
        {
          resume: how.resume,
          promote: how.promote ?? false,
          ...(ctx.deps.concurrency ? { concurrency: ctx.deps.concurrency } : {}),
          ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
        },
      );
      if (up.mode === 'COMMIT' && outcome.status === 'completed') rememberCommit(up);
      const previous =
        previousFromServer(outcome.previous) ??
        previousFromServer(getUpload(ctx.db, up.id)?.previous) ??
        previousLocal(up.sha256, up.clientId, up.id);
      result = { ...base, status: outcome.status, plan: outcome.plan, error: null, previous };
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      result = { ...base, status: getUpload(ctx.db, up.id)?.serverStatus ?? null, plan: null, error: err.toJSON(), previous: null };
    }
    auditUploadResult(ctx, up.mode === 'COMMIT' ? 'upload' : 'dry-run', up.id, result, {
      client: up.clientName,
      user: up.userEmail,
      resumed: how.resume,
      stageMs: stageTimings(ctx, up.id),
    });
    return result;
  }

  return { start, proceed, previousLocal };
}

export type ServerRuns = ReturnType<typeof createServerRuns>;

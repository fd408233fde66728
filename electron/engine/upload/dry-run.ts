import { AppError } from '../../../shared/errors.ts';
import type { Plan, UploadResult } from '../../../shared/report.ts';
import type { KnownClient } from '../store/known-clients.ts';
import { localKnowledge } from '../store/local-mirror.ts';
import { getUpload, markCommitOfDryRun, stagedDryRunsOf } from '../store/uploads.ts';
import { pickClient, pickClientOffline } from './account.ts';
import { auditUploadResult } from './audit-log.ts';
import type { UploadContext } from './context.ts';
import { computeLocalPlan } from './local-plan.ts';
import { archiveRefusal, precheck, unsentResult } from './prechecks.ts';
import { callRpc } from './rpc.ts';
import type { ServerRuns } from './server-run.ts';
import type { SignIn } from './sign-in.ts';
import type { FileRunOptions, RunHooks, Target } from './types.ts';

/**
 * Dry runs: the server's (FULL_DRY_RUN, staged there and kept for a commit) when signed in and
 * online, else a plan against the local mirror; and what becomes of a server dry run afterwards
 * (committed as planned, or discarded so it stops holding an upload slot).
 */
export function createDryRuns(ctx: UploadContext, signIn: SignIn, runs: ServerRuns) {
  /**
   * Gives up a server dry run that will not be committed, so it stops holding one of the
   * workspace's three upload slots (its staged rows go with the staging cleanup).
   */
  async function discardDryRun(uploadId: string): Promise<void> {
    const session = await signIn.requireSession();
    const up = getUpload(ctx.db, uploadId);
    if (!up || up.mode !== 'FULL_DRY_RUN') throw new AppError('UPLOAD_NOT_FOUND', `No dry run ${uploadId} on this computer.`);
    await callRpc(ctx.rpcDeps(session.sb), 'fail_upload', {
      p_upload_id: uploadId,
      p_code: 'CANCELLED',
      p_message: 'The dry run was discarded without committing it.',
      p_stage: 'finish',
    });
    ctx.journal.setState(uploadId, { serverStatus: 'failed' });
  }

  /**
   * Gives up this file's server dry runs still awaiting commit, so a new dry run or a fresh upload
   * does not leave them holding the workspace's upload slots for 24 hours (best effort: offline,
   * they expire on the server).
   */
  async function discardStagedDryRuns(validationId: string, except?: string): Promise<void> {
    for (const u of stagedDryRunsOf(ctx.db, validationId)) if (u.id !== except) await discardDryRun(u.id).catch(() => undefined);
  }

  /** Commits the rows a finished server dry run already staged (no re-staging). */
  async function commitDryRun(uploadId: string, hooks: RunHooks = {}): Promise<UploadResult> {
    const session = await signIn.requireSession();
    const up = getUpload(ctx.db, uploadId);
    if (!up || up.mode !== 'FULL_DRY_RUN') throw new AppError('UPLOAD_NOT_FOUND', `No dry run ${uploadId} on this computer.`);
    markCommitOfDryRun(ctx.db, uploadId);
    return await runs.proceed(session, { ...up, mode: 'COMMIT' }, hooks, { resume: true, promote: true });
  }

  /** The plan against what this computer uploaded before (offline, or the project unreachable). */
  function planLocally(validationId: string, picked: KnownClient): UploadResult {
    const report = ctx.validation(validationId).report;
    const refusal = precheck(report, picked, 'FULL_DRY_RUN');
    if (refusal) return unsentResult(report, 'FULL_DRY_RUN', refusal);
    let result: UploadResult;
    try {
      const plan: Plan = computeLocalPlan(
        ctx.deps.validations.validatedRows(validationId),
        localKnowledge(ctx.db, picked.clientId, report.platform ?? 'meta'),
      );
      result = {
        ...unsentResult(report, 'FULL_DRY_RUN', null),
        plan,
        previous: runs.previousLocal(report.sha256 ?? '', picked.clientId, ''),
      };
    } catch (err) {
      // A name several entities of the client have (CONFLICTING_DIMENSION): refused, as the server would.
      if (!(err instanceof AppError)) throw err;
      result = unsentResult(report, 'FULL_DRY_RUN', err.toJSON());
    }
    auditUploadResult(ctx, 'dry-run', validationId, result, { client: picked.clientName, offline: true });
    return result;
  }

  /**
   * The dry run. Signed in and online: the server's FULL_DRY_RUN plan (rows staged there, nothing
   * written to dimensions or facts), which replaces this file's earlier staged dry runs; kept
   * staged for `upload(…, { dryRunId })` unless `keep: false`. Otherwise: a plan against what this
   * computer uploaded before.
   */
  async function dryRun(validationId: string, target: Target, hooks: RunHooks = {}, opts: { keep?: boolean } = {}): Promise<UploadResult> {
    ctx.validation(validationId);
    const session = await signIn.signedIn().catch(() => null);
    const conn = ctx.connections.read();
    let clients: KnownClient[] = [];
    let online = false;
    if (session) {
      try {
        clients = await signIn.refreshClients(session);
        online = true;
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        // The project is unreachable or failing: plan offline from what was seen last, at once.
        clients = signIn.clientsSeenLast(session.conn);
      }
    } else if (conn) clients = signIn.clientsSeenLast(conn);
    const picked = online
      ? pickClient(clients, target.clientRef, target.workspaceRef)
      : pickClientOffline(clients, target.clientRef, target.workspaceRef);
    if (session && online) {
      await discardStagedDryRuns(validationId);
      const result = await runs.start(session, validationId, picked, 'FULL_DRY_RUN', hooks);
      if (result.uploadId && result.status === 'staged' && opts.keep === false) {
        await discardDryRun(result.uploadId).catch(() => undefined);
      }
      if (!result.error || result.error.code !== 'NETWORK_ERROR') return result;
      // The server went away mid-plan: nothing to resume for a dry run, plan locally instead.
      if (result.uploadId) ctx.journal.setState(result.uploadId, { status: 'failed' });
    }
    return planLocally(validationId, picked);
  }

  /**
   * Reads and validates a file, then dry-runs it (the command line's `dry-run`). A refused file,
   * an archive, and a refusal on the way (not signed in, no such client) are answered, not thrown.
   */
  async function dryRunFile(
    path: string,
    target: Target,
    hooks: RunHooks = {},
    opts: FileRunOptions & { keep?: boolean } = {},
  ): Promise<UploadResult> {
    const validated = await ctx.deps.validations.validateFile(path, opts.validate ?? {});
    const base = unsentResult(validated.report, 'FULL_DRY_RUN', null);
    const refused = validated.report.refused ?? archiveRefusal(validated.report);
    if (refused) return { ...base, refused };
    try {
      await opts.beforeServer?.();
      return await dryRun(validated.validationId, target, hooks, opts.keep === undefined ? {} : { keep: opts.keep });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return { ...base, error: err.toJSON() };
    }
  }

  return { dryRun, dryRunFile, discardDryRun, discardStagedDryRuns, commitDryRun };
}

export type DryRuns = ReturnType<typeof createDryRuns>;

import { basename } from 'node:path';
import { AppError } from '../../../shared/errors.ts';
import type { InterruptedUpload } from '../../../shared/ipc-contract.ts';
import type { UploadResult } from '../../../shared/report.ts';
import { getIntent, pendingIntents, type StoredIntent } from '../store/intents.ts';
import { getUpload, interruptedUploads, uploadSteps, type StoredUpload } from '../store/uploads.ts';
import { isUuid } from './account.ts';
import type { Commits } from './commit.ts';
import type { UploadContext } from './context.ts';
import { abandonIntent, whyNotTheSameFile } from './intents.ts';
import type { ServerRuns } from './server-run.ts';
import type { SignIn } from './sign-in.ts';
import type { RunHooks, Target } from './types.ts';

/**
 * Resume: uploads the server knows continue from where they stopped; uploads asked for that
 * stopped before it heard of them are read again from their file, when it is still the file asked for.
 */
export function createResume(ctx: UploadContext, signIn: SignIn, runs: ServerRuns, commits: Commits) {
  async function resumeIntent(intent: StoredIntent, hooks: RunHooks): Promise<UploadResult> {
    const why = await whyNotTheSameFile(intent);
    if (why) return abandonIntent(ctx, intent, why);
    const target: Target = { clientRef: intent.clientRef, ...(intent.workspaceRef ? { workspaceRef: intent.workspaceRef } : {}) };
    // A mapping confirmed with the upload was saved for the file's header, and is found again.
    return await commits.readAndCommit(
      intent.id,
      intent.filePath,
      target,
      hooks,
      intent.platform ? { validate: { platform: intent.platform } } : {},
      intent,
    );
  }

  /**
   * Continues one interrupted upload, or all of them (oldest first): those the server knows from
   * where they stopped, and those that stopped before it heard of them from the file, when the
   * file is still the one asked for (else the answer says it must be uploaded again, and why).
   */
  async function resume(uploadId: string | undefined, hooks: RunHooks = {}): Promise<UploadResult[]> {
    const session = await signIn.requireSession();
    const resumeUpload = (up: StoredUpload) => runs.proceed(session, up, hooks, { resume: true });
    if (uploadId !== undefined) {
      const up = getUpload(ctx.db, uploadId);
      if (up) return [await resumeUpload(up)];
      const intent = getIntent(ctx.db, uploadId);
      if (intent && (intent.status === 'reading' || intent.status === 'validated')) return [await resumeIntent(intent, hooks)];
      throw new AppError('UPLOAD_NOT_FOUND', `No upload ${uploadId} in this computer's history.`);
    }
    const results: UploadResult[] = [];
    for (const w of queue()) results.push(await (w.intent ? resumeIntent(w.intent, hooks) : resumeUpload(w.upload)));
    return results;
  }

  /** What `resume` continues, oldest first: uploads asked for but never sent, and interrupted ones. */
  function queue(): Array<{ at: string; intent: StoredIntent; upload?: never } | { at: string; intent?: never; upload: StoredUpload }> {
    return [
      ...pendingIntents(ctx.db).map((intent) => ({ at: intent.createdAt, intent })),
      ...interruptedUploads(ctx.db).map((upload) => ({ at: upload.createdAt, upload })),
    ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }

  /**
   * The same list as the resume banner shows it: each with its file, client (an intent's client by
   * the name or id it was asked for, looked up among the clients seen last), rows and last stage.
   */
  async function awaitingResume(): Promise<InterruptedUpload[]> {
    const known = (await signIn.whoamiOffline())?.clients ?? [];
    return queue().map(({ intent: i, upload: u }): InterruptedUpload => {
      if (i) {
        const client = known.find((c) => c.clientId === i.clientRef || c.clientName === i.clientRef);
        return {
          uploadId: i.id,
          fileName: basename(i.filePath),
          workspaceId: client?.workspaceId ?? (isUuid(i.workspaceRef) ? i.workspaceRef : null),
          clientId: client?.clientId ?? (isUuid(i.clientRef) ? i.clientRef : null),
          clientName: client?.clientName ?? (isUuid(i.clientRef) ? null : i.clientRef),
          platform: i.platform,
          rows: 0,
          startedAt: i.createdAt,
          lastStage: null,
          notSent: true,
        };
      }
      return {
        uploadId: u.id,
        fileName: u.fileName,
        workspaceId: u.workspaceId,
        clientId: u.clientId,
        clientName: u.clientName,
        platform: u.platform,
        rows: u.rowCount,
        startedAt: u.createdAt,
        lastStage: uploadSteps(ctx.db, u.id).at(-1)?.step.split(':')[0] ?? null,
      };
    });
  }

  return { resume, awaitingResume };
}

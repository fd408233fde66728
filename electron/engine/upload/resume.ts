import { AppError } from '../../../shared/errors.ts';
import type { UploadResult } from '../../../shared/report.ts';
import { getIntent, pendingIntents, type StoredIntent } from '../store/intents.ts';
import { getUpload, interruptedUploads, type StoredUpload } from '../store/uploads.ts';
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
    const work = [
      ...pendingIntents(ctx.db).map((i) => ({ at: i.createdAt, run: () => resumeIntent(i, hooks) })),
      ...interruptedUploads(ctx.db).map((u) => ({ at: u.createdAt, run: () => resumeUpload(u) })),
    ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    const results: UploadResult[] = [];
    for (const w of work) results.push(await w.run());
    return results;
  }

  return { resume };
}

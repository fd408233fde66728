import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { AppErrorShape } from '../../../shared/errors.ts';
import type { UploadResult } from '../../../shared/report.ts';
import { recordAuditEvent } from '../store/audit.ts';
import { closeIntent, type StoredIntent } from '../store/intents.ts';
import { unreadReport } from '../validate/index.ts';
import type { UploadContext } from './context.ts';
import { unsentResult } from './prechecks.ts';

/**
 * Uploads asked for but stopped before the server heard of them (store/intents.ts). What can be
 * known of a file before reading it is its size and modification time; once read, its SHA-256. On
 * resume the file must still be there with the same size, and the same modification time when it
 * was never read; the content hash is compared once the file is read again (commit.ts).
 */

export interface FileStamp {
  bytes: number;
  mtimeMs: number;
}

/** Size and modification time, or null when there is no readable file at `path`. */
export async function fileStamp(path: string): Promise<FileStamp | null> {
  try {
    const s = await stat(path);
    return s.isFile() ? { bytes: s.size, mtimeMs: Math.trunc(s.mtimeMs) } : null;
  } catch {
    return null;
  }
}

function askedFor(intent: StoredIntent): string {
  return `The upload of ${basename(intent.filePath)} for ${intent.clientRef}, asked for at ${intent.createdAt}, stopped before anything was sent`;
}

/** Why the intent's file can no longer be the file that was asked for, or null when it still can be. */
export async function whyNotTheSameFile(intent: StoredIntent): Promise<string | null> {
  const now = await fileStamp(intent.filePath);
  if (now === null) return `${askedFor(intent)}, and there is no file at ${intent.filePath} any more. Upload the file again.`;
  if (now.bytes !== intent.fileBytes) {
    return `${askedFor(intent)}, and the file has changed since (${intent.fileBytes.toLocaleString('en-US')} bytes then, ${now.bytes.toLocaleString('en-US')} now). Upload it again to send what it holds now.`;
  }
  if (intent.sha256 === null && now.mtimeMs !== intent.fileMtimeMs) {
    return `${askedFor(intent)}, before the file was read, and the file was modified since (${new Date(now.mtimeMs).toISOString()}). Upload it again to send what it holds now.`;
  }
  return null;
}

/** The file was read again on resume and its content is not what was read when the upload was asked for. */
export function contentChanged(intent: StoredIntent): string {
  return `${askedFor(intent)}, and the content of ${intent.filePath} is not what was read then (its SHA-256 differs). Upload it again to send what it holds now.`;
}

/** An intent resume cannot finish: recorded, audited and answered as a FILE_CHANGED refusal saying why. */
export function abandonIntent(ctx: UploadContext, intent: StoredIntent, why: string): UploadResult {
  const error: AppErrorShape = { code: 'FILE_CHANGED', message: why };
  closeIntent(ctx.db, intent.id, 'abandoned', error, ctx.now());
  recordAuditEvent(ctx.db, {
    at: ctx.now(),
    kind: 'upload-abandoned',
    subjectId: intent.id,
    detail: { file: intent.filePath, client: intent.clientRef, error },
  });
  return unsentResult(unreadReport(basename(intent.filePath), intent.fileBytes, error), 'COMMIT', error);
}

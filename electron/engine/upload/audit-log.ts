import type { UploadResult } from '../../../shared/report.ts';
import { recordAuditEvent } from '../store/audit.ts';
import { uploadSteps } from '../store/uploads.ts';
import type { UploadContext } from './context.ts';

/** One line of the local audit log per dry run, upload and resume outcome. */
export function auditUploadResult(
  ctx: UploadContext,
  kind: 'dry-run' | 'upload',
  subjectId: string | null,
  result: UploadResult,
  extra: Record<string, unknown> = {},
): void {
  recordAuditEvent(ctx.db, {
    at: ctx.now(),
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
      // The column mapping the file was read with, if the user confirmed one, as data_uploads.summary
      // records it.
      mapped: result.mapped ?? null,
      ...extra,
    },
  });
}

/** Milliseconds spent in each stage of an upload (summed over its batches), for the audit log. */
export function stageTimings(ctx: UploadContext, uploadId: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of uploadSteps(ctx.db, uploadId)) {
    const stage = s.step.split(':')[0] ?? s.step;
    out[stage] = (out[stage] ?? 0) + s.ms;
  }
  return out;
}

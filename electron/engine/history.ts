import { AppError } from '../../shared/errors.ts';
import type { HistoryDetail, HistoryEntry, HistoryQuery } from '../../shared/ipc-contract.ts';
import type { Store } from './store/open.ts';
import { uploadHistory, uploadInHistory, uploadSteps, type UploadInHistory } from './store/uploads.ts';
import { getValidation, listValidations, type StoredValidation } from './store/validations.ts';
import { CountsAnswer } from './upload/protocol.ts';

/**
 * The history the window shows: validations, dry runs and uploads of this computer in one list,
 * filtered by client, platform, status and day, newest first; and one entry with its stages.
 */

function uploadEntry({ upload: u, status }: UploadInHistory): HistoryEntry {
  return {
    id: u.id,
    kind: u.mode === 'COMMIT' ? 'upload' : 'dry-run',
    fileName: u.fileName,
    platform: u.platform,
    level: u.level,
    clientId: u.clientId,
    clientName: u.clientName,
    status,
    rows: u.rowCount,
    createdAt: u.createdAt,
    finishedAt: u.status === 'running' || u.status === 'interrupted' ? null : u.updatedAt,
    error: u.error ? { code: u.error.code, message: u.error.message } : null,
  };
}

function validationEntry(v: StoredValidation): HistoryEntry {
  const r = v.report;
  return {
    id: v.id,
    kind: 'validate',
    fileName: r.file,
    platform: r.platform,
    level: r.level,
    clientId: null,
    clientName: null,
    status: 'validated',
    rows: r.rows.total,
    createdAt: v.validatedAt,
    finishedAt: v.validatedAt,
    error: r.refused ? { code: r.refused.code, message: r.refused.message } : null,
  };
}

/** A dimensions step's recorded answer (`{ create, update, unchanged }`, protocol.ts), else null. */
function countsOf(result: unknown): { create: number; update: number; unchanged: number } | null {
  const r = CountsAnswer.safeParse(result);
  return r.success ? { create: r.data.create, update: r.data.update, unchanged: r.data.unchanged } : null;
}

export function createHistory(db: Store) {
  return {
    /** The newest entries matching every filter; each kind is filtered by the store before its limit. */
    list(q: HistoryQuery): HistoryEntry[] {
      const limit = q.limit ?? 200;
      const days = { from: q.from, to: q.to };
      const ups = uploadHistory(db, { clientId: q.clientId, platform: q.platform, status: q.status, ...days, limit }).map(uploadEntry);
      // A validation belongs to no client and its status is always `validated`.
      const vals =
        q.clientId !== undefined || (q.status !== undefined && q.status !== 'validated')
          ? []
          : listValidations(db, { platform: q.platform, ...days, limit }).map(validationEntry);
      return [...ups, ...vals].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, limit);
    },
    entry(id: string): HistoryDetail {
      const inHistory = uploadInHistory(db, id);
      if (inHistory) {
        const up = inHistory.upload;
        const report = getValidation(db, up.validationId)?.report;
        return {
          ...uploadEntry(inHistory),
          uploadId: up.id,
          mode: up.mode,
          plan: up.plan,
          issues: report?.issues.length ?? 0,
          mapping: report?.mapped ?? null,
          stages: uploadSteps(db, id).map((s) => ({
            stage: s.step,
            startedAt: new Date(new Date(s.at).getTime() - s.ms).toISOString(),
            finishedAt: s.at,
            counts: countsOf(s.result),
            error: null,
          })),
        };
      }
      const v = getValidation(db, id);
      if (!v) throw new AppError('UPLOAD_NOT_FOUND', "No such entry in this computer's history.");
      return {
        ...validationEntry(v),
        uploadId: null,
        mode: null,
        plan: null,
        issues: v.report.issues.length,
        stages: [],
        mapping: v.report.mapped ?? null,
      };
    },
  };
}

import { AppError } from '../../shared/errors.ts';
import type { HistoryDetail, HistoryEntry, HistoryQuery } from '../../shared/ipc-contract.ts';
import type { Store } from './store/open.ts';
import { getUpload, listUploads, uploadSteps, type StoredUpload } from './store/uploads.ts';
import { getValidation, listValidations, type StoredValidation } from './store/validations.ts';
import { CountsAnswer } from './upload/protocol.ts';

/**
 * The history the window shows: validations, dry runs and uploads of this computer in one list,
 * filtered by client, platform, status and day, newest first; and one entry with its stages.
 */

function historyStatus(u: StoredUpload): HistoryEntry['status'] {
  if (u.status === 'running' || u.status === 'interrupted' || u.status === 'failed') return u.status;
  return u.serverStatus ?? (u.status === 'staged' ? 'staged' : 'completed');
}

function uploadEntry(u: StoredUpload): HistoryEntry {
  return {
    id: u.id,
    kind: u.mode === 'COMMIT' ? 'upload' : 'dry-run',
    fileName: u.fileName,
    platform: u.platform,
    level: u.level,
    clientId: u.clientId,
    clientName: u.clientName,
    status: historyStatus(u),
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

function inDateRange(iso: string, q: HistoryQuery): boolean {
  const day = iso.slice(0, 10);
  return (q.from === undefined || day >= q.from) && (q.to === undefined || day <= q.to);
}

/** A dimensions step's recorded answer (`{ create, update, unchanged }`, protocol.ts), else null. */
function countsOf(result: unknown): { create: number; update: number; unchanged: number } | null {
  const r = CountsAnswer.safeParse(result);
  return r.success ? { create: r.data.create, update: r.data.update, unchanged: r.data.unchanged } : null;
}

export function createHistory(db: Store) {
  const historyDetail = (id: string) => {
    const upload = getUpload(db, id);
    return upload ? { upload, steps: uploadSteps(db, id) } : null;
  };
  return {
    list(q: HistoryQuery): HistoryEntry[] {
      const limit = q.limit ?? 200;
      const ups = listUploads(db, {
        limit: 1000,
        ...(q.clientId ? { clientId: q.clientId } : {}),
        ...(q.platform ? { platform: q.platform } : {}),
      })
        .map(uploadEntry)
        .filter((e) => q.status === undefined || e.status === q.status);
      const vals =
        q.clientId !== undefined || (q.status !== undefined && q.status !== 'validated')
          ? []
          : listValidations(db, { limit: 1000 })
              .map(validationEntry)
              .filter((e) => q.platform === undefined || e.platform === q.platform);
      return [...ups, ...vals]
        .filter((e) => inDateRange(e.createdAt, q))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .slice(0, limit);
    },
    entry(id: string): HistoryDetail {
      const detail = historyDetail(id);
      if (detail) {
        const { upload: up, steps } = detail;
        return {
          ...uploadEntry(up),
          uploadId: up.id,
          mode: up.mode,
          plan: up.plan,
          issues: getValidation(db, up.validationId)?.report.issues.length ?? 0,
          mapping: getValidation(db, up.validationId)?.report.mapped ?? null,
          stages: steps.map((s) => ({
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

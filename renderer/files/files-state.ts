import type { FileRef, IpcError, UploadOutcome, UploadProgress, UploadStage } from '../../shared/ipc-contract.ts';
import type { ValidateReport } from '../../shared/report.ts';
import { RESUMABLE_CODES, type ErrorCode } from '../../shared/errors.ts';

export type Step<T> = { status: 'idle' } | { status: 'running' } | { status: 'done'; value: T } | { status: 'failed'; error: IpcError };

export interface FileEntry {
  ref: FileRef;
  validation: Step<ValidateReport>;
  dryRun: Step<UploadOutcome>;
  upload: Step<UploadOutcome>;
}

/** The one dry run, upload or resume running now, with the latest progress of each stage. */
export interface ActiveRun {
  kind: 'dryRun' | 'upload' | 'resume';
  token: string | null;
  uploadId: string | null;
  stages: Partial<Record<UploadStage, UploadProgress>>;
  cancelling: boolean;
}

export interface FilesState {
  order: string[];
  byToken: Record<string, FileEntry>;
  selected: string | null;
  active: ActiveRun | null;
}

export const initialFilesState: FilesState = { order: [], byToken: {}, selected: null, active: null };

export type FilesAction =
  | { type: 'added'; refs: FileRef[] }
  | { type: 'removed'; token: string }
  | { type: 'selected'; token: string }
  | { type: 'validated'; token: string; result: Step<ValidateReport> }
  | { type: 'runStarted'; kind: ActiveRun['kind']; token: string | null }
  | { type: 'progress'; progress: UploadProgress }
  | { type: 'cancelling' }
  | { type: 'runEnded'; kind: 'dryRun' | 'upload'; token: string; result: Step<UploadOutcome> }
  | { type: 'resumeEnded' };

function patch(state: FilesState, token: string, change: Partial<FileEntry>): FilesState {
  const entry = state.byToken[token];
  if (!entry) return state;
  return { ...state, byToken: { ...state.byToken, [token]: { ...entry, ...change } } };
}

export function filesReducer(state: FilesState, action: FilesAction): FilesState {
  switch (action.type) {
    case 'added': {
      const byToken = { ...state.byToken };
      const order = [...state.order];
      for (const ref of action.refs) {
        if (byToken[ref.token]) continue;
        byToken[ref.token] = { ref, validation: { status: 'running' }, dryRun: { status: 'idle' }, upload: { status: 'idle' } };
        order.push(ref.token);
      }
      return { ...state, byToken, order, selected: state.selected ?? action.refs[0]?.token ?? null };
    }
    case 'removed': {
      const { [action.token]: _gone, ...byToken } = state.byToken;
      const order = state.order.filter((t) => t !== action.token);
      const selected = state.selected === action.token ? (order[0] ?? null) : state.selected;
      return { ...state, byToken, order, selected };
    }
    case 'selected':
      return state.byToken[action.token] ? { ...state, selected: action.token } : state;
    case 'validated':
      return patch(state, action.token, { validation: action.result });
    case 'runStarted': {
      const next: FilesState = {
        ...state,
        active: { kind: action.kind, token: action.token, uploadId: null, stages: {}, cancelling: false },
      };
      if (action.token === null || action.kind === 'resume') return next;
      return patch(next, action.token, { [action.kind]: { status: 'running' } });
    }
    case 'progress': {
      const active = state.active;
      if (!active) return state;
      // A new upload id within one run (resume-all moves to the next upload): start its bars afresh.
      const stages = active.uploadId === action.progress.uploadId ? active.stages : {};
      return {
        ...state,
        active: { ...active, uploadId: action.progress.uploadId, stages: { ...stages, [action.progress.stage]: action.progress } },
      };
    }
    case 'cancelling':
      return state.active ? { ...state, active: { ...state.active, cancelling: true } } : state;
    case 'runEnded': {
      const next = patch(state, action.token, { [action.kind]: action.result });
      // An upload starts from a fresh dry run next time; the last dry run stays visible.
      return { ...next, active: null };
    }
    case 'resumeEnded':
      return { ...state, active: null };
  }
}

/**
 * What a failed upload call was, in a word: refused (the same request would be refused again),
 * interrupted (the network, the server, or the engine restarted: it can be resumed), cancelled, or
 * failed (metricdrop itself could not do it: docs/errors.md).
 */
function uploadFailure(code: IpcError['code']): string {
  if (code === 'CANCELLED') return 'Upload cancelled';
  if (code === 'ENGINE_RESTARTED' || RESUMABLE_CODES.has(code as ErrorCode)) return `Upload interrupted: ${code}`;
  if (code === 'ENGINE_UNAVAILABLE' || code === 'ENGINE_CLOSING' || code === 'INTERNAL_ERROR') return `Upload failed: ${code}`;
  return `Upload refused: ${code}`;
}

export type CardState = { label: string; tone: 'neutral' | 'busy' | 'good' | 'warn' | 'bad' };

/** The one-line state a file card shows. */
export function cardState(entry: FileEntry): CardState {
  const { validation: v, dryRun, upload } = entry;
  if (upload.status === 'running') return { label: 'Uploading…', tone: 'busy' };
  if (upload.status === 'done') {
    return upload.value.status === 'completed'
      ? { label: 'Uploaded', tone: 'good' }
      : { label: `Upload ${upload.value.status ?? 'stopped'}`, tone: 'bad' };
  }
  if (upload.status === 'failed') return { label: uploadFailure(upload.error.code), tone: 'bad' };
  if (dryRun.status === 'running') return { label: 'Dry run…', tone: 'busy' };
  if (v.status === 'running' || v.status === 'idle') return { label: 'Validating…', tone: 'busy' };
  if (v.status === 'failed') return { label: `Could not read: ${v.error.code}`, tone: 'bad' };
  const r = v.value;
  if (r.refused) return { label: `Refused: ${r.refused.code}`, tone: 'bad' };
  if (dryRun.status === 'done' && dryRun.value.error === null) return { label: 'Dry run ready', tone: 'good' };
  if (r.rows.invalid > 0)
    return { label: `${r.rows.invalid.toLocaleString('en-US')} ${r.rows.invalid === 1 ? 'row' : 'rows'} with errors`, tone: 'warn' };
  return { label: 'Valid', tone: 'good' };
}

import { describe, expect, it } from 'vitest';
import type { IpcError, UploadProgress } from '../../shared/ipc-contract.ts';
import { testReport, testUploadOutcome } from '../../test/support/reports.ts';
import { cardState, filesReducer, initialFilesState, type FilesState } from './files-state.ts';

const ref = (n: number) => ({ token: String(n).repeat(32).slice(0, 32), name: `f${n}.csv`, bytes: 10 });
const progress = (uploadId: string, stage: UploadProgress['stage']): UploadProgress => ({
  uploadId,
  mode: 'COMMIT',
  stage,
  done: 1,
  total: 2,
  rowsPerSecond: null,
  etaSeconds: null,
});

describe('files reducer', () => {
  it('adds several files at once, selects the first, ignores a token added twice', () => {
    let s = filesReducer(initialFilesState, { type: 'added', refs: [ref(1), ref(2)] });
    s = filesReducer(s, { type: 'added', refs: [ref(1)] });
    expect(s.order).toEqual([ref(1).token, ref(2).token]);
    expect(s.selected).toBe(ref(1).token);
    expect(cardState(s.byToken[ref(1).token]!)).toEqual({ label: 'Validating…', tone: 'busy' });
  });

  it('shows refused, invalid and valid files differently', () => {
    let s = filesReducer(initialFilesState, { type: 'added', refs: [ref(1), ref(2), ref(3)] });
    s = filesReducer(s, {
      type: 'validated',
      token: ref(1).token,
      result: { status: 'done', value: testReport({ refused: { code: 'UNKNOWN_FORMAT', message: 'x' } }) },
    });
    s = filesReducer(s, {
      type: 'validated',
      token: ref(2).token,
      result: { status: 'done', value: testReport({ rows: { total: 10, valid: 7, invalid: 3, skipped: 0 } }) },
    });
    s = filesReducer(s, { type: 'validated', token: ref(3).token, result: { status: 'done', value: testReport() } });
    expect(cardState(s.byToken[ref(1).token]!).label).toBe('Refused: UNKNOWN_FORMAT');
    expect(cardState(s.byToken[ref(2).token]!)).toEqual({ label: '3 rows with errors', tone: 'warn' });
    expect(cardState(s.byToken[ref(3).token]!)).toEqual({ label: 'Valid', tone: 'good' });
  });

  it('tracks one run: progress by stage, a new upload id resets the bars, the end clears it', () => {
    let s: FilesState = filesReducer(initialFilesState, { type: 'added', refs: [ref(1)] });
    s = filesReducer(s, { type: 'runStarted', kind: 'upload', token: ref(1).token });
    expect(cardState(s.byToken[ref(1).token]!).label).toBe('Uploading…');
    s = filesReducer(s, { type: 'progress', progress: progress('00000000-0000-4000-8000-000000000001', 'stage') });
    s = filesReducer(s, { type: 'progress', progress: progress('00000000-0000-4000-8000-000000000001', 'facts') });
    expect(Object.keys(s.active!.stages)).toEqual(['stage', 'facts']);
    s = filesReducer(s, { type: 'progress', progress: progress('00000000-0000-4000-8000-000000000002', 'begin') });
    expect(Object.keys(s.active!.stages)).toEqual(['begin']);
    const outcome = testUploadOutcome('00000000-0000-4000-8000-000000000002');
    s = filesReducer(s, { type: 'runEnded', kind: 'upload', token: ref(1).token, result: { status: 'done', value: outcome } });
    expect(s.active).toBeNull();
    expect(cardState(s.byToken[ref(1).token]!)).toEqual({ label: 'Uploaded', tone: 'good' });
  });

  it('ignores progress when nothing runs, and removing the selected file selects the next', () => {
    let s = filesReducer(initialFilesState, { type: 'added', refs: [ref(1), ref(2)] });
    expect(filesReducer(s, { type: 'progress', progress: progress('00000000-0000-4000-8000-000000000001', 'stage') })).toBe(s);
    s = filesReducer(s, { type: 'removed', token: ref(1).token });
    expect(s.selected).toBe(ref(2).token);
  });

  it('says whether a failed upload was refused, interrupted (resumable), cancelled or failed in metricdrop itself', () => {
    const failedWith = (code: IpcError['code']) => {
      let s: FilesState = filesReducer(initialFilesState, { type: 'added', refs: [ref(1)] });
      s = filesReducer(s, { type: 'runStarted', kind: 'upload', token: ref(1).token });
      s = filesReducer(s, {
        type: 'runEnded',
        kind: 'upload',
        token: ref(1).token,
        result: { status: 'failed', error: { code, message: 'm' } },
      });
      return cardState(s.byToken[ref(1).token]!);
    };
    expect(failedWith('NOT_AUTHORIZED')).toEqual({ label: 'Upload refused: NOT_AUTHORIZED', tone: 'bad' });
    expect(failedWith('TOO_MANY_ROWS').label).toBe('Upload refused: TOO_MANY_ROWS');
    expect(failedWith('NETWORK_ERROR').label).toBe('Upload interrupted: NETWORK_ERROR');
    expect(failedWith('SERVER_ERROR').label).toBe('Upload interrupted: SERVER_ERROR');
    expect(failedWith('ENGINE_RESTARTED').label).toBe('Upload interrupted: ENGINE_RESTARTED');
    expect(failedWith('CANCELLED').label).toBe('Upload cancelled');
    expect(failedWith('ENGINE_UNAVAILABLE').label).toBe('Upload failed: ENGINE_UNAVAILABLE');
    expect(failedWith('ENGINE_CLOSING').label).toBe('Upload failed: ENGINE_CLOSING');
    expect(failedWith('INTERNAL_ERROR').label).toBe('Upload failed: INTERNAL_ERROR');
  });
});

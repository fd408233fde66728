import { useCallback, useEffect, useReducer } from 'react';
import type { DroppedFile, IpcError, Result, UploadOutcome } from '../../shared/ipc-contract.ts';
import type { ColumnMapping } from '../../shared/mapping.ts';
import { useApi } from '../api/api-context.tsx';
import { filesReducer, initialFilesState, type FilesState, type Step } from './files-state.ts';

export interface FilesModel {
  state: FilesState;
  /** Why the last files could not be added, if they could not. */
  addFiles(files: readonly DroppedFile[]): Promise<IpcError | null>;
  pickFiles(): Promise<IpcError | null>;
  select(token: string): void;
  remove(token: string): void;
  /** Validates the file again with the columns the person mapped (saved unless `save` is false). */
  map(token: string, mapping: ColumnMapping, save: boolean): Promise<void>;
  dryRun(token: string, target: { workspaceId: string; clientId: string }): Promise<void>;
  upload(token: string, target: { workspaceId: string; clientId: string }): Promise<void>;
  cancel(): Promise<void>;
  /** Continues interrupted uploads one after another; stops at the first that fails. */
  resume(uploadIds: readonly string[]): Promise<{ error: IpcError | null; completed: UploadOutcome[] }>;
}

const toStep = <T>(r: Result<T>): Step<T> => (r.ok ? { status: 'done', value: r.value } : { status: 'failed', error: r.error });

/** The files on the screen and the one run (dry run, upload, resume) in flight. */
export function useFiles(): FilesModel {
  const api = useApi();
  const [state, dispatch] = useReducer(filesReducer, initialFilesState);

  useEffect(() => api.uploads.onProgress((progress) => dispatch({ type: 'progress', progress })), [api]);

  const registered = useCallback(
    async (r: Result<{ token: string; name: string; bytes: number }[]>): Promise<IpcError | null> => {
      if (!r.ok) return r.error;
      dispatch({ type: 'added', refs: r.value });
      // Validate one after another: two 50 MB files at once would only compete for the same disk and core.
      for (const ref of r.value) {
        dispatch({ type: 'validated', token: ref.token, result: toStep(await api.files.validate({ token: ref.token })) });
      }
      return null;
    },
    [api],
  );

  return {
    state,
    addFiles: async (files) => registered(await api.files.addDropped(files)),
    pickFiles: async () => registered(await api.files.pick({})),
    select: (token) => dispatch({ type: 'selected', token }),
    async map(token, mapping, save) {
      dispatch({ type: 'validated', token, result: { status: 'running' } });
      dispatch({ type: 'validated', token, result: toStep(await api.files.map({ token, mapping, save })) });
    },
    remove(token) {
      dispatch({ type: 'removed', token });
      void api.files.forget({ token });
    },
    async dryRun(token, target) {
      dispatch({ type: 'runStarted', kind: 'dryRun', token });
      const r = await api.uploads.dryRun({ token, ...target });
      dispatch({ type: 'runEnded', kind: 'dryRun', token, result: toStep(r) });
    },
    async upload(token, target) {
      // The dry run the person looked at, if the server kept one: the engine commits its staged rows
      // when it still can (same file and client, still staged there), else uploads the file afresh.
      const dry = state.byToken[token]?.dryRun;
      const dryRunId = dry?.status === 'done' ? (dry.value.uploadId ?? undefined) : undefined;
      dispatch({ type: 'runStarted', kind: 'upload', token });
      const r = await api.uploads.start({ token, ...target, ...(dryRunId ? { dryRunId } : {}) });
      dispatch({ type: 'runEnded', kind: 'upload', token, result: toStep(r) });
    },
    async cancel() {
      const id = state.active?.uploadId;
      if (!id) return;
      dispatch({ type: 'cancelling' });
      await api.uploads.cancel({ uploadId: id });
    },
    async resume(uploadIds) {
      dispatch({ type: 'runStarted', kind: 'resume', token: null });
      let error: IpcError | null = null;
      const completed: UploadOutcome[] = [];
      for (const uploadId of uploadIds) {
        const r = await api.uploads.resume({ uploadId });
        if (!r.ok) {
          error = r.error;
          break;
        }
        if (r.value.error) {
          error = {
            code: r.value.error.code,
            message: r.value.error.message,
            ...(r.value.error.stage ? { stage: r.value.error.stage } : {}),
          };
          break;
        }
        completed.push(r.value);
      }
      dispatch({ type: 'resumeEnded' });
      return { error, completed };
    },
  };
}

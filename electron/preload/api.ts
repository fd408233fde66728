import { buildChannelApi, type Api, type DroppedFile, type EventName, type FileRef, type Result } from '../../shared/ipc-contract.ts';

/** The parts of Electron's renderer modules the preload uses (tests pass their own). */
export interface PreloadElectron {
  ipcRenderer: {
    invoke(channel: string, ...args: unknown[]): Promise<unknown>;
    on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
    removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  };
  webUtils: { getPathForFile(file: never): string };
}

/**
 * `window.metricdrop`: one function per channel of the contract, nothing else. Callbacks receive the
 * payload, never Electron's event (which would hand the page `sender`); no raw `ipcRenderer`.
 * Dropped files become paths here, in the preload, with `webUtils.getPathForFile`: the page itself
 * never names a path.
 */
export function createPreloadApi(electron: PreloadElectron): Api {
  const { ipcRenderer, webUtils } = electron;
  const channelApi = buildChannelApi({
    invoke: (channel, input) => ipcRenderer.invoke(channel, input) as Promise<Result<unknown>>,
    subscribe(event: EventName, listener: (payload: unknown) => void) {
      const wrapped = (_event: unknown, payload: unknown) => listener(payload);
      ipcRenderer.on(event, wrapped);
      return () => {
        ipcRenderer.removeListener(event, wrapped);
      };
    },
  });

  async function addDropped(files: readonly DroppedFile[]): Promise<Result<FileRef[]>> {
    const paths: string[] = [];
    for (const file of files) {
      let path: string;
      try {
        path = webUtils.getPathForFile(file as never);
      } catch {
        path = '';
      }
      if (!path) {
        return {
          ok: false,
          error: { code: 'INVALID_INPUT', message: `"${String(file.name)}" is not a file on this computer. Drop it from a folder.` },
        };
      }
      paths.push(path);
    }
    if (paths.length === 0) return { ok: true, value: [] };
    return (await ipcRenderer.invoke('files:register', { paths })) as Result<FileRef[]>;
  }

  return { ...channelApi, files: { ...channelApi.files, addDropped } } satisfies Api;
}

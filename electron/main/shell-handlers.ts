import { writeFile } from 'node:fs/promises';
import type { FileRef, Output, ParsedInput, ShellChannel } from '../../shared/ipc-contract.ts';
import { ACCEPTED_EXTENSIONS } from '../host/files.ts';
import type { HandlerMap } from '../host/handlers.ts';
import { isAllowedExternalUrl } from './security.ts';

export type ShellHandlerMap = { [K in ShellChannel]: (input: ParsedInput<K>) => Promise<Output<K>> };

/** Electron's dialogs and shell, narrowed to what the handlers use (so tests can pass their own). */
export interface NativeShell {
  showOpenDialog(opts: {
    title: string;
    properties: ('openFile' | 'multiSelections')[];
    filters: { name: string; extensions: string[] }[];
  }): Promise<{ canceled: boolean; filePaths: string[] }>;
  showSaveDialog(opts: { title: string; defaultPath: string; filters: { name: string; extensions: string[] }[] }): Promise<{
    canceled: boolean;
    filePath?: string | undefined;
  }>;
  openExternal(url: string): Promise<void>;
}

/**
 * The channels that need the OS: file dialogs and links. Paths only ever come from the OS (dialogs)
 * or from the preload (dropped `File`s); `registerPaths` (the engine host) checks them again before
 * use: absolute, an accepted extension, a regular file.
 */
export function createShellHandlers(deps: {
  native: NativeShell;
  registerPaths(paths: readonly string[]): Promise<FileRef[]>;
  handlers: HandlerMap;
}): ShellHandlerMap {
  const { native, registerPaths, handlers } = deps;
  return {
    'files:pick': async () => {
      const r = await native.showOpenDialog({
        title: 'Add exports',
        properties: ['openFile', 'multiSelections'],
        filters: [{ name: 'Ad platform exports', extensions: [...ACCEPTED_EXTENSIONS] }],
      });
      if (r.canceled || r.filePaths.length === 0) return [];
      return registerPaths(r.filePaths);
    },
    'files:register': async ({ paths }) => registerPaths(paths),
    'files:saveErrorsCsv': async ({ token }) => {
      const csv = await handlers['files:errorsCsv']({ token });
      const r = await native.showSaveDialog({
        title: 'Save errors as CSV',
        defaultPath: csv.fileName,
        filters: [{ name: 'CSV', extensions: ['csv'] }],
      });
      if (r.canceled || !r.filePath) return { saved: false, fileName: null };
      const path = r.filePath.toLowerCase().endsWith('.csv') ? r.filePath : `${r.filePath}.csv`;
      await writeFile(path, csv.csv, 'utf8');
      return { saved: true, fileName: path };
    },
    'app:openExternal': async ({ url }) => {
      if (!isAllowedExternalUrl(url)) return { opened: false };
      await native.openExternal(url);
      return { opened: true };
    },
  };
}

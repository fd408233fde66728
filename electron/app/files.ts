import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, isAbsolute } from 'node:path';
import { AppError } from '../../shared/errors.ts';
import type { FileRef, FileToken } from '../../shared/ipc-contract.ts';

/** The export types the app reads (Google's "Excel CSV" is a tab-separated `.csv` or `.tsv`). */
export const ACCEPTED_EXTENSIONS = ['csv', 'tsv', 'txt'] as const;

/** 50 MB is the server's limit; the engine refuses larger files with FILE_TOO_LARGE. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

export function hasAcceptedExtension(name: string): boolean {
  const m = /\.([A-Za-z0-9]{1,5})$/.exec(name);
  return m !== null && (ACCEPTED_EXTENSIONS as readonly string[]).includes(m[1]!.toLowerCase());
}

/**
 * A name the user gave a file (browser upload, drop) made safe to write under a folder we chose:
 * last path segment only, no control characters, at most 120 characters, an accepted extension.
 * Returns null when nothing acceptable remains.
 */
export function safeFileName(name: string): string | null {
  const last = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = last.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '').trim();
  if (cleaned === '' || cleaned === '.' || cleaned === '..' || cleaned.startsWith('.')) return null;
  if (!hasAcceptedExtension(cleaned)) return null;
  if (cleaned.length <= 120) return cleaned;
  const ext = cleaned.slice(cleaned.lastIndexOf('.'));
  return cleaned.slice(0, 120 - ext.length) + ext;
}

export interface RegisteredFile {
  token: FileToken;
  path: string;
  name: string;
  bytes: number;
}

/** Token → file the user chose. One per engine host; the window only ever sees tokens. */
export interface FileRegistry {
  add(file: { path: string; name: string; bytes: number }): FileRef;
  get(token: FileToken): RegisteredFile;
  forget(token: FileToken): void;
}

export function createFileRegistry(newToken: () => FileToken = () => randomBytes(16).toString('hex')): FileRegistry {
  const byToken = new Map<FileToken, RegisteredFile>();
  return {
    add(file) {
      const entry: RegisteredFile = { token: newToken(), ...file };
      byToken.set(entry.token, entry);
      return { token: entry.token, name: entry.name, bytes: entry.bytes };
    },
    get(token) {
      const entry = byToken.get(token);
      if (!entry) throw new AppError('INVALID_INPUT', 'That file is no longer open in metricdrop. Add it again.');
      return entry;
    },
    forget(token) {
      byToken.delete(token);
    },
  };
}

/**
 * Registers paths that came from the OS (open dialog, or dropped files read by the preload). The
 * window never names a path itself, but these are still checked: absolute, an accepted extension,
 * a regular file.
 */
export async function registerLocalPaths(registry: FileRegistry, paths: readonly string[]): Promise<FileRef[]> {
  const refs: FileRef[] = [];
  for (const path of paths) {
    const name = basename(path);
    if (!isAbsolute(path) || path.includes('\0')) {
      throw new AppError('INVALID_INPUT', `"${name}" is not a file metricdrop can open.`);
    }
    if (!hasAcceptedExtension(name)) {
      throw new AppError('UNKNOWN_FORMAT', `"${name}" is not a CSV export. metricdrop reads .csv, .tsv and .txt files.`);
    }
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) throw new AppError('INVALID_INPUT', `"${name}" could not be found or is not a file.`);
    refs.push(registry.add({ path, name, bytes: info.size }));
  }
  return refs;
}

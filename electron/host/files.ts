import { randomBytes } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { AppError, type ErrorCode } from '../../shared/errors.ts';
import type { FileRef, FileToken } from '../../shared/ipc-contract.ts';
import { unpackArchive } from '../engine/read/archive.ts';
import { emptyReport } from '../engine/validate/archive.ts';
import type { ValidateReport } from '../../shared/report.ts';

/**
 * The export types the app reads (Google's "Excel CSV" is a tab-separated `.csv` or `.tsv`; Meta and
 * TikTok offer .xlsx first; Google's "download all cards" is a .zip of CSV files).
 */
export const ACCEPTED_EXTENSIONS = ['csv', 'tsv', 'txt', 'xlsx', 'zip'] as const;

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
  /** A file inside a dropped .zip that could not be unpacked: its refusal, shown on its card. */
  refusal?: { code: ErrorCode; message: string } | undefined;
  /** A temporary copy metricdrop made (a file unpacked from a .zip): removed when forgotten. */
  temporary?: boolean | undefined;
}

export type NewFile = Omit<RegisteredFile, 'token'>;

/** Token → file the user chose. One per engine host; the window only ever sees tokens. */
export interface FileRegistry {
  add(file: NewFile): FileRef;
  get(token: FileToken): RegisteredFile;
  /** Forgets a file; the promise ends once a temporary copy is removed (callers need not wait for it). */
  forget(token: FileToken): Promise<void>;
  /** Puts back a file registered before, under its token (a restarted engine host). */
  restore(file: RegisteredFile): void;
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
      const entry = byToken.get(token);
      byToken.delete(token);
      return entry?.temporary ? rm(dirname(entry.path), { recursive: true, force: true }) : Promise.resolve();
    },
    restore(file) {
      byToken.set(file.token, { ...file });
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
      throw new AppError('UNKNOWN_FORMAT', `"${name}" is not an export metricdrop reads: it reads .csv, .tsv, .txt, .xlsx and .zip files.`);
    }
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) throw new AppError('INVALID_INPUT', `"${name}" could not be found or is not a file.`);
    refs.push(...(await registerFile(registry, { path, name, bytes: info.size })));
  }
  return refs;
}

/**
 * Registers one file; a .zip of exports becomes one file per export inside (each unpacked to its own
 * temporary copy, capped at the file limit), so the window shows a card for each, validated as if
 * it had been dropped on its own. A file inside that cannot be unpacked (too large, a nested
 * archive) still gets its card, with the refusal. An .xlsx is a ZIP too, but a workbook: one file.
 */
export async function registerFile(registry: FileRegistry, file: { path: string; name: string; bytes: number }): Promise<FileRef[]> {
  if (!/\.zip$/i.test(file.name)) return [registry.add(file)];
  const dir = join(tmpdir(), `metricdrop-zip-${randomBytes(8).toString('hex')}`);
  let members;
  try {
    members = await unpackArchive(file.path, dir);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    if (!(err instanceof AppError)) throw err;
    return [registry.add({ ...file, refusal: { code: err.code, message: err.message } })];
  }
  return members.map((m) => {
    const name = `${file.name} › ${m.name}`;
    if (m.path === null) return registry.add({ path: file.path, name, bytes: m.bytes, refusal: m.refusal ?? undefined });
    // Each copy in a folder of its own, removed when its card is closed.
    return registry.add({ path: m.path, name, bytes: m.bytes, temporary: true });
  });
}

/** The report of a file refused before it could be read (a file inside a .zip that could not be unpacked). */
export function refusedFileReport(file: RegisteredFile): ValidateReport {
  return { ...emptyReport(file.name, file.bytes, null), refused: file.refusal ?? null };
}

import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AppError, FILE_LIMITS, type ErrorCode } from '../../../shared/errors.ts';
import { openZip, type ZipEntry } from './zip.ts';

/** Google Ads' "download all cards" holds 13 files; no export download holds more than a few dozen. */
export const MAX_ARCHIVE_FILES = 50;

/** Files a .zip of exports carries that are not exports: folders, macOS resource forks, Finder and Explorer litter. */
const LITTER = /(^|\/)(__MACOSX\/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)/i;
/** Archives inside the archive: not opened (say so, instead of guessing what is inside). */
const NESTED = /\.(zip|7z|rar|gz|tgz|tar|bz2|xz)$/i;

/** One file inside a .zip of exports, unpacked to its own temporary file (or refused, with why). */
export interface ArchiveMember {
  /** The path inside the archive, as the archive names it. */
  name: string;
  /** The unpacked copy (null when the member was refused before unpacking). */
  path: string | null;
  bytes: number;
  refusal: { code: ErrorCode; message: string } | null;
}

/**
 * Unpacks each file of a .zip of exports into a folder of its own under `dir` (created, 0700), each capped at the 50 MB file
 * limit while it is inflated (the archive's own sizes are not trusted: a member that inflates past
 * the limit is stopped there and refused FILE_TOO_LARGE, never inflated further). Members in order
 * of the archive; folders and OS litter left out. A nested archive is refused as a member. More
 * than 50 files, or an archive that cannot be read, refuse the whole archive (`AppError`). The
 * caller removes `dir` when done with the copies.
 */
export async function unpackArchive(zipPath: string, dir: string): Promise<ArchiveMember[]> {
  const zip = await openZip(zipPath);
  try {
    const files = zip.entries.filter((e) => !e.isDirectory && !LITTER.test(e.name));
    if (files.length > MAX_ARCHIVE_FILES) {
      throw new AppError(
        'INVALID_INPUT',
        `This archive holds ${files.length} files; metricdrop opens archives of at most ${MAX_ARCHIVE_FILES}. Unpack it and drop the exports you want to import (at most ${MAX_ARCHIVE_FILES} at a time).`,
      );
    }
    if (files.length === 0) throw new AppError('UNKNOWN_FORMAT', 'This archive holds no files. Download the exports again.');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const members: ArchiveMember[] = [];
    for (let i = 0; i < files.length; i++) {
      // Each copy in a folder of its own, under the member's own name (so a card can remove its copy alone).
      members.push(await unpackOne(zip, files[i]!, join(dir, String(i + 1).padStart(2, '0'))));
    }
    return members;
  } finally {
    zip.close();
  }
}

async function unpackOne(zip: Awaited<ReturnType<typeof openZip>>, entry: ZipEntry, folder: string): Promise<ArchiveMember> {
  const name = entry.name;
  if (NESTED.test(name)) {
    return {
      name,
      path: null,
      bytes: entry.declaredBytes,
      refusal: {
        code: 'UNKNOWN_FORMAT',
        message: `"${name}" is an archive inside the archive, which metricdrop does not open. Unpack it and drop the files it holds.`,
      },
    };
  }
  await mkdir(folder, { mode: 0o700 });
  const path = join(folder, safeName(name));
  let bytes = 0;
  const tooLarge = () =>
    new AppError(
      'FILE_TOO_LARGE',
      `"${name}" unpacks to more than ${FILE_LIMITS.maxFileBytes / 1024 ** 2} MB, the limit for one file. Export a shorter date range (or fewer accounts) and upload the parts one after another.`,
    );
  try {
    const stream = await zip.openEntry(entry, FILE_LIMITS.maxFileBytes, tooLarge);
    stream.on('data', (chunk: Buffer) => (bytes += chunk.length));
    await pipeline(stream, createWriteStream(path, { mode: 0o600 }));
    return { name, path, bytes, refusal: null };
  } catch (err) {
    await rm(folder, { recursive: true, force: true });
    if (!(err instanceof AppError)) throw err;
    return { name, path: null, bytes: Math.max(bytes, entry.declaredBytes), refusal: { code: err.code, message: err.message } };
  }
}

/** A file name for the unpacked copy: the member's last path segment, nothing a file system minds. */
function safeName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const last = (name.split('/').pop() ?? 'file').replace(/[\u0000-\u001f<>:"|?*\\]/g, '_').slice(-100);
  return last === '' || last.startsWith('.') ? `file${last}` : last;
}

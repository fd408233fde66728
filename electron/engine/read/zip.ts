import { Transform, type Readable } from 'node:stream';
import yauzl from 'yauzl';
import { AppError } from '../../../shared/errors.ts';

/** One file inside a ZIP archive (an .xlsx part, or an export in a .zip). */
export interface ZipEntry {
  /** The path inside the archive, `/`-separated. */
  name: string;
  /** What the archive's directory says; never trusted as a limit (see `openEntry`). */
  declaredBytes: number;
  isDirectory: boolean;
  readonly raw: yauzl.Entry;
}

export interface ZipArchive {
  entries: ZipEntry[];
  /** The entry of that path (case-insensitive, a leading `/` ignored), or null. */
  find(name: string): ZipEntry | null;
  /**
   * The entry's inflated bytes, streamed. The bytes are counted as they are inflated and the stream
   * fails with `tooLarge()` at the first byte past `maxBytes`, whatever the archive declares, so a
   * zip bomb is never inflated past the limit.
   */
  openEntry(entry: ZipEntry, maxBytes: number, tooLarge: () => AppError): Promise<Readable>;
  close(): void;
}

const NOT_A_ZIP =
  'This file starts like a ZIP archive (an .xlsx workbook is one) but its directory cannot be read, so it is damaged or cut off. Download it again.';

/** Opens an archive and reads its central directory (names and sizes only; no entry is inflated). */
export async function openZip(path: string): Promise<ZipArchive> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, decodeStrings: true, strictFileNames: false });
  } catch {
    throw new AppError('INVALID_INPUT', NOT_A_ZIP);
  }
  const entries = await new Promise<ZipEntry[]>((resolve, reject) => {
    const list: ZipEntry[] = [];
    zip.on('entry', (e: yauzl.Entry) => {
      const name = e.fileName.replace(/\\/g, '/');
      list.push({ name, declaredBytes: e.uncompressedSize, isDirectory: name.endsWith('/'), raw: e });
      zip.readEntry();
    });
    zip.once('end', () => resolve(list));
    zip.once('error', () => reject(new AppError('INVALID_INPUT', NOT_A_ZIP)));
    zip.readEntry();
  }).catch((err: unknown) => {
    zip.close();
    throw err;
  });
  const byName = new Map(entries.map((e) => [e.name.toLowerCase(), e]));
  return {
    entries,
    find: (name) => byName.get(name.replace(/^\/+/, '').toLowerCase()) ?? null,
    async openEntry(entry, maxBytes, tooLarge) {
      if (entry.raw.isEncrypted()) {
        throw new AppError(
          'INVALID_INPUT',
          `"${entry.name}" in this archive is encrypted (password protected). Unpack it yourself and drop the file.`,
        );
      }
      if (!entry.raw.canDecodeFileData()) {
        throw new AppError(
          'INVALID_INPUT',
          `"${entry.name}" in this archive is compressed in a way metricdrop cannot unpack. Unpack it yourself and drop the file.`,
        );
      }
      if (entry.declaredBytes > maxBytes) throw tooLarge();
      let stream: Readable;
      try {
        stream = await zip.openReadStreamPromise(entry.raw);
      } catch {
        throw new AppError(
          'INVALID_INPUT',
          `"${entry.name}" in this archive is damaged and cannot be unpacked. Download the archive again.`,
        );
      }
      return stream.pipe(byteCap(maxBytes, tooLarge, entry.name)).on('close', () => stream.destroy());
    },
    close: () => zip.close(),
  };
}

/** Passes bytes through and fails at the first byte past `maxBytes` (and destroys the source). */
function byteCap(maxBytes: number, tooLarge: () => AppError, name: string): Transform {
  let seen = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > maxBytes) done(tooLarge());
      else done(null, chunk);
    },
  });
  // yauzl reports a stream that does not match its directory (size, CRC) as an error on the source.
  cap.on('pipe', (src: Readable) =>
    src.once('error', (err: unknown) => {
      cap.destroy(
        err instanceof AppError
          ? err
          : new AppError(
              'INVALID_INPUT',
              `"${name}" in this archive is damaged and cannot be unpacked (${err instanceof Error ? err.message : String(err)}). Download the archive again.`,
            ),
      );
    }),
  );
  return cap;
}

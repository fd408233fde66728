import { stat } from 'node:fs/promises';
import Papa from 'papaparse';
import { AppError, FILE_LIMITS } from '../../../shared/errors.ts';
import { detectEncoding, looksLikeLegacyWorkbook, looksLikeZip, StreamDecoder, type TextEncoding } from './decode.ts';
import { fileChunks } from './chunks.ts';
import { sniffDialect, type Dialect } from './sniff.ts';

/**
 * Receives every CSV record of a file in order. `rowNumber` is the spreadsheet row: 1-based, one
 * per record (a quoted cell spanning lines is one row), counting preamble, header and blank lines.
 * Return `false` to stop reading.
 */
export type RecordSink = (fields: string[], rowNumber: number, malformed: string | null) => boolean;

export interface ReadSummary {
  bytes: number;
  encoding: TextEncoding;
  dialect: Dialect;
  /** True when the sink asked to stop. */
  stopped: boolean;
}

const CHUNK_BYTES = 1 << 20;
/**
 * Each chunk is decoded and parsed in pieces of this many bytes: strings this small live in V8's young
 * generation, where a megabyte string is a large object mapped afresh for every chunk, and papaparse
 * copies it once more to join it with the last chunk's unfinished record.
 */
const PIECE_BYTES = 1 << 16;
const SNIFF_CHARS = 64 * 1024;
/** No real row is this long: a record still open after this many characters has a quote that never closes. */
export const MAX_RECORD_CHARS = 8 * 1024 * 1024;

/** The file's size from `stat`, before a single byte is read; INVALID_INPUT when it is not a readable file. */
export async function fileSize(path: string): Promise<number> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw new AppError('INVALID_INPUT', `Cannot open ${path}: ${describeFsError(err)}.`);
  }
  if (!info.isFile()) throw new AppError('INVALID_INPUT', `${path} is not a file.`);
  return info.size;
}

/** FILE_TOO_LARGE above the limit. */
export function checkFileSize(size: number): void {
  if (size > FILE_LIMITS.maxFileBytes) {
    throw new AppError(
      'FILE_TOO_LARGE',
      `This file is ${formatMiB(size)}; the limit is ${formatMiB(FILE_LIMITS.maxFileBytes)}. ` +
        'Export a shorter date range (or fewer accounts) and upload the parts one after another.',
    );
  }
}

/**
 * Streams a file through the decoder and papaparse, never holding it whole: bytes are decoded and
 * parsed chunk by chunk, and each record goes to `sink` with its spreadsheet row number.
 * Throws `AppError` for FILE_TOO_LARGE, ENCODING_ERROR, and INVALID_INPUT (unreadable, workbook).
 */
export async function readCsvRecords(path: string, sink: RecordSink, onEncoding?: (encoding: TextEncoding) => void): Promise<ReadSummary> {
  const bytes = await fileSize(path);
  checkFileSize(bytes);
  let decoder: StreamDecoder | null = null;
  let parser: Papa.Parser | null = null;
  let dialect: Dialect | null = null;
  /** The last byte of the file's line ending, once known: pieces end after one. */
  let lineEnd = -1;
  let pending = '';
  let rowNumber = 0;
  let stopped = false;

  // The dialect is sniffed from the start of the file (the first whole chunk, or more), whatever the pieces.
  const startParser = (sample: string, final: boolean): Papa.Parser => {
    const d = sniffDialect(sample, final);
    dialect = d;
    lineEnd = d.newline === '\r' ? 0x0d : 0x0a;
    return new Papa.Parser({ delimiter: d.delimiter, newline: d.newline, quoteChar: '"' });
  };

  // Feeds text to the parser, keeping the last (possibly incomplete) record for the next chunk.
  const parse = (text: string, final: boolean) => {
    const input = pending + text;
    if (!parser) {
      if (input.length < SNIFF_CHARS && !final) {
        pending = input;
        return;
      }
      parser = startParser(input, final);
    }
    const result = parser.parse(input, 0, !final) as PapaChunk;
    pending = final ? '' : input.slice(result.meta.cursor);
    if (pending.length > MAX_RECORD_CHARS) {
      // Stop instead of re-reading an ever longer record with every chunk (and holding the file).
      throw new AppError(
        'INVALID_INPUT',
        `Row ${rowNumber + result.data.length + 1} never ends: it runs on for more than ${MAX_RECORD_CHARS / (1024 * 1024)} MB, so a quoted cell in it is never closed. Check the quotes in that row, or export the report again.`,
      );
    }
    const malformedRows = result.errors.length > 0 ? malformedByRow(result.errors) : null;
    const rows = result.data;
    for (let i = 0; i < rows.length; i++) {
      rowNumber++;
      if (!sink(rows[i]!, rowNumber, malformedRows?.get(i) ?? null)) {
        stopped = true;
        return;
      }
    }
  };

  // A chunk's pieces in turn. A record longer than a piece (a quote that never closes) is read again
  // with each call: the rest of the chunk goes in one call then, so a runaway record costs what it did unpieced.
  const parsePieces = (next: () => string | null) => {
    for (let p = next(); p !== null && !stopped; p = next()) {
      if (pending.length > PIECE_BYTES) for (let q = next(); q !== null; q = next()) p += q;
      parse(p, false);
    }
  };

  try {
    // A chunk is whole until the next is asked for (the next is read meanwhile into another buffer):
    // it is decoded and parsed before then, and the decoder copies what it carries over.
    for await (const chunk of fileChunks(path, CHUNK_BYTES)) {
      if (!decoder) {
        refuseBinary(chunk);
        decoder = new StreamDecoder(detectEncoding(chunk));
        onEncoding?.(decoder.encoding);
      }
      const before = decoder.encoding;
      // Only a file in a legacy code page loads chardet and iconv-lite, when its bytes show it.
      if (decoder.needsLegacyCodecs(chunk, false)) await decoder.loadLegacyCodecs();
      // Before the dialect is known, pieces end after a line feed (the usual line ending's last byte).
      const pieces = decoder.decodePieces(chunk, false, PIECE_BYTES, lineEnd < 0 ? 0x0a : lineEnd);
      if (parser) parsePieces(() => pieces.next());
      else {
        // The dialect is sniffed from the start of the file (its first whole chunk, or more); then its
        // pieces are parsed as every later chunk's are.
        const texts: string[] = [];
        for (let p = pieces.next(); p !== null; p = pieces.next()) texts.push(p);
        const sample = pending + texts.join('');
        if (sample.length < SNIFF_CHARS) pending = sample;
        else {
          parser = startParser(sample, false);
          let i = 0;
          parsePieces(() => texts[i++] ?? null);
        }
      }
      // A file begun as ASCII turned out to be in a legacy code page.
      if (decoder.encoding !== before) onEncoding?.(decoder.encoding);
      if (stopped) break;
    }
    if (!stopped) {
      decoder ??= new StreamDecoder('utf-8');
      const before = decoder.encoding;
      const end = new Uint8Array(0);
      if (decoder.needsLegacyCodecs(end, true)) await decoder.loadLegacyCodecs();
      const rest = decoder.decode(end, true);
      if (decoder.encoding !== before) onEncoding?.(decoder.encoding);
      parse(rest, true);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('INVALID_INPUT', `Cannot read ${path}: ${describeFsError(err)}.`);
  }
  return {
    bytes,
    encoding: decoder?.encoding ?? 'utf-8',
    dialect: dialect ?? { delimiter: ',', newline: '\n' },
    stopped,
  };
}

/** Files that are not text at all: an archive or workbook is read elsewhere (see `readSource`); a legacy .xls is refused. */
function refuseBinary(head: Uint8Array): void {
  if (looksLikeZip(head)) {
    throw new AppError(
      'UNKNOWN_FORMAT',
      'This file is a ZIP archive (an .xlsx workbook or a .zip of exports), not CSV text; it is read as a workbook or an archive, not as text.',
    );
  }
  if (looksLikeLegacyWorkbook(head)) {
    throw new AppError(
      'UNKNOWN_FORMAT',
      'This is a legacy Excel workbook (.xls, Excel 97-2003), which metricdrop does not read. Open it in Excel and save it as ' +
        '"Excel Workbook (.xlsx)" or "CSV UTF-8", or download the report from the ad platform again as .xlsx or CSV.',
    );
  }
}

interface PapaChunk {
  data: string[][];
  errors: { type: string; code: string; row?: number }[];
  meta: { cursor: number };
}

function malformedByRow(errors: PapaChunk['errors']): Map<number, string> {
  const byRow = new Map<number, string>();
  for (const e of errors) {
    if (e.row === undefined) continue;
    byRow.set(
      e.row,
      e.code === 'MissingQuotes'
        ? 'A quoted cell starting on this row is never closed, so the rest of the file ran into it. Check the quotes in this row.'
        : 'A cell on this row has a stray quote character after its closing quote. Check the quotes in this row.',
    );
  }
  return byRow;
}

function describeFsError(err: unknown): string {
  const code = (err as { code?: string } | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  return err instanceof Error ? err.message : String(err);
}

function formatMiB(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

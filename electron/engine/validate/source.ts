import { open } from 'node:fs/promises';
import type { ValidationIssue, WorkbookFacts } from '../../../shared/report.ts';
import { looksLikeZip, type TextEncoding } from '../read/decode.ts';
import { readCsvRecords, type RecordSink } from '../read/records.ts';
import type { Dialect } from '../read/sniff.ts';

/** One streamed read of a file's records, in the shape `ExportPass.onRecord` takes them. */
export interface SourceRead {
  bytes: number;
  dialect: Dialect | null;
  stopped: boolean;
}

/**
 * Where a file's records come from: a CSV's text, or the data sheet of an .xlsx workbook
 * (`workbook-source.ts`, loaded only for a file that is a zip archive, so reading a CSV loads no zip
 * or XML reader). Either way the records (cells as text, spreadsheet row number) go to the same
 * sink, so recognition and validation do not know which it was.
 */
export interface RecordSource {
  read(sink: RecordSink, onEncoding: (encoding: TextEncoding) => void): Promise<SourceRead>;
  /** What the reader noticed about the workbook (null for text), given the header row the pass found. */
  workbookFacts(headerRow: number | null): WorkbookFacts | null;
  /** File-level notes about the choice of sheet. */
  readonly warnings: ValidationIssue[];
  close(): void;
}

/** What kind of file this is by its first bytes: text, an .xlsx workbook, or a .zip of other files. */
export async function fileKind(path: string): Promise<'text' | 'xlsx' | 'zip'> {
  const handle = await open(path, 'r');
  let head: Buffer;
  try {
    head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
  } finally {
    await handle.close();
  }
  if (!looksLikeZip(head)) return 'text';
  return (await import('./workbook-source.ts')).archiveKind(path);
}

export function csvSource(path: string): RecordSource {
  return {
    async read(sink, onEncoding) {
      const summary = await readCsvRecords(path, sink, onEncoding);
      return { bytes: summary.bytes, dialect: summary.dialect, stopped: summary.stopped };
    },
    workbookFacts: () => null,
    warnings: [],
    close() {},
  };
}

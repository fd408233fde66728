import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { ValidateReport, ValidationIssue } from '../../../shared/report.ts';

/** Characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection). */
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r', '\n']);

/**
 * One CSV cell, safe to open in a spreadsheet: always quoted, quotes doubled, and a text cell that
 * starts with `=`, `+`, `-`, `@`, tab, CR or LF gets a leading `'` so it is shown, never evaluated.
 * Numbers the export writes as numbers (row numbers) are not prefixed.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '""';
  if (typeof value === 'number') return `"${value}"`;
  const text = FORMULA_START.has(value.charAt(0)) ? `'${value}` : value;
  return `"${text.replace(/"/g, '""')}"`;
}

export const ISSUES_CSV_HEADER = ['row', 'column', 'code', 'severity', 'message'] as const;

export function issueLine(issue: ValidationIssue): string {
  return [csvCell(issue.row), csvCell(issue.column), csvCell(issue.code), csvCell(issue.severity), csvCell(issue.message)].join(',');
}

/**
 * The errors CSV of a .zip of exports: the same columns, then `file`, the file inside the archive
 * each issue (or refusal) belongs to, as its report names it (`cards/Campaign report.xlsx`).
 */
export const ARCHIVE_ISSUES_CSV_HEADER = [...ISSUES_CSV_HEADER, 'file'] as const;

/**
 * The issues of a report, or its refusal as a single line, as CSV text lines (no line ends). For a
 * .zip of exports: every file's issues (or refusal), in the archive's order, each line naming its file.
 */
export function* issuesCsvLines(report: ValidateReport): Generator<string> {
  if (report.entries && !report.refused) {
    yield ARCHIVE_ISSUES_CSV_HEADER.map(csvCell).join(',');
    for (const line of reportLines(report)) yield `${line},${csvCell(report.file)}`;
    for (const entry of report.entries) {
      const file = csvCell(entry.file);
      for (const line of reportLines(entry)) yield `${line},${file}`;
    }
    return;
  }
  yield ISSUES_CSV_HEADER.map(csvCell).join(',');
  yield* reportLines(report);
}

/** One file's lines: its refusal, or each of its issues. */
function* reportLines(report: ValidateReport): Generator<string> {
  if (report.refused) {
    yield [csvCell(null), csvCell(null), csvCell(report.refused.code), csvCell('error'), csvCell(report.refused.message)].join(',');
    return;
  }
  for (const issue of report.issues) yield issueLine(issue);
}

/**
 * Writes the errors CSV (UTF-8 with a byte-order mark and CRLF, so Excel reads it as UTF-8) to a
 * temporary file next to `outPath`, then renames it: a reader never sees half a file.
 */
export async function writeIssuesCsv(report: ValidateReport, outPath: string): Promise<void> {
  const tmp = `${outPath}.${process.pid}.tmp`;
  const out = createWriteStream(tmp);
  const failed = once(out, 'error').then(([err]) => {
    throw err;
  });
  failed.catch(() => undefined);
  try {
    const write = async (text: string) => {
      if (!out.write(text)) await Promise.race([once(out, 'drain'), failed]);
    };
    await write('\uFEFF');
    let batch = '';
    for (const line of issuesCsvLines(report)) {
      batch += `${line}\r\n`;
      if (batch.length > 65_536) {
        await write(batch);
        batch = '';
      }
    }
    await write(batch);
    out.end();
    await Promise.race([once(out, 'finish'), failed]);
    await rename(tmp, outPath);
  } catch (err) {
    out.destroy();
    await rm(tmp, { force: true });
    throw err;
  }
}

import type { ValidationIssue } from '../../shared/report.ts';
import { csvCell, issueLine } from '../engine/validate/issues-csv.ts';

/**
 * A text cell: quoted, `"` doubled, and a leading `'` when it would start a formula (OWASP CSV
 * injection). The engine's cell, the same one the command line's `--errors-csv` writes.
 */
export const textCell = (value: string): string => csvCell(value);

/** Capitalised for the person who opens the download (the command line writes lower case). */
export const ERRORS_CSV_HEADER = ['Row', 'Column', 'Code', 'Severity', 'Message'] as const;

/**
 * The issues of a validation as a CSV a person opens in Excel or LibreOffice: UTF-8 with a BOM so
 * accents survive, CRLF line ends, every field quoted, formula-like text neutralised.
 */
export function issuesToCsv(issues: readonly ValidationIssue[]): string {
  const lines = [ERRORS_CSV_HEADER.map(textCell).join(','), ...issues.map(issueLine)];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** `meta-sept.csv` → `meta-sept-errors.csv`. */
export function errorsCsvName(fileName: string): string {
  const base = fileName.replace(/\.[^.]{1,5}$/, '');
  return `${base || 'export'}-errors.csv`;
}

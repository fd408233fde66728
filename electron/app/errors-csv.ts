import type { ValidationIssue } from '../../shared/report.ts';

/** Characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r\n]/;

/** A text cell: quoted, `"` doubled, and a leading `'` when it would start a formula. */
export function textCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}

/** A number cell: written as the number itself (never prefixed, so it stays a number). */
function numberCell(value: number | null): string {
  return value === null ? '""' : `"${value}"`;
}

export const ERRORS_CSV_HEADER = ['Row', 'Column', 'Code', 'Severity', 'Message'] as const;

/**
 * The issues of a validation as a CSV a person opens in Excel or LibreOffice: UTF-8 with a BOM so
 * accents survive, CRLF line ends, every field quoted, formula-like text neutralised.
 */
export function issuesToCsv(issues: readonly ValidationIssue[]): string {
  const lines = [ERRORS_CSV_HEADER.map(textCell).join(',')];
  for (const i of issues) {
    lines.push(
      [numberCell(i.row), textCell(i.column ?? ''), textCell(i.code), textCell(i.severity), textCell(i.message)].join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** `meta-sept.csv` → `meta-sept-errors.csv`. */
export function errorsCsvName(fileName: string): string {
  const base = fileName.replace(/\.[^.]{1,5}$/, '');
  return `${base || 'export'}-errors.csv`;
}

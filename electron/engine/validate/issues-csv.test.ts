import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { ValidateReport } from '../../../shared/report.ts';
import { csvCell, writeIssuesCsv } from './issues-csv.ts';

describe('csvCell: safe to open in a spreadsheet (OWASP CSV injection)', () => {
  it('the OWASP examples', () => {
    expect(csvCell('=1+2";=1+2')).toBe(`"'=1+2"";=1+2"`);
    expect(csvCell(`=1+2'" ;,=1+2`)).toBe(`"'=1+2'"" ;,=1+2"`);
  });

  it('every formula start is neutralised with a leading quote', () => {
    expect(csvCell('@SUM(1,1)')).toBe(`"'@SUM(1,1)"`);
    expect(csvCell("-2+3+cmd|' /C calc'!A0")).toBe(`"'-2+3+cmd|' /C calc'!A0"`);
    expect(csvCell('+1 555 0100')).toBe(`"'+1 555 0100"`);
    expect(csvCell('\t=1')).toBe(`"'\t=1"`);
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    expect(csvCell('\n=1')).toBe(`"'\n=1"`);
  });

  it('ordinary text and numbers are quoted but not changed; delimiters and line breaks stay inside the cell', () => {
    expect(csvCell('Amount spent (USD)')).toBe('"Amount spent (USD)"');
    expect(csvCell('a,b;c\nd')).toBe('"a,b;c\nd"');
    expect(csvCell(17)).toBe('"17"');
    expect(csvCell(null)).toBe('""');
  });
});

const report = (over: Partial<ValidateReport>): ValidateReport => ({
  file: 'f.csv',
  bytes: 1,
  sha256: null,
  platform: 'meta',
  level: 'ad',
  currency: 'USD',
  rows: { total: 2, valid: 0, invalid: 2, skipped: 0 },
  dateRange: null,
  entities: { campaigns: 0, adSets: 0, ads: 0 },
  totals: { impressions: '0', clicks: '0', spend: '0', conversions: '0', conversionValue: '0' },
  issues: [],
  refused: null,
  ...over,
});

describe('writeIssuesCsv', () => {
  it('writes every issue; a spreadsheet (or any CSV reader) reads back exactly the neutralised cells', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'metricdrop-csv-'));
    const out = join(dir, 'errors.csv');
    await writeIssuesCsv(
      report({
        issues: [
          {
            row: 17,
            column: '=HYPERLINK("http://evil.example","x")',
            code: 'INVALID_VALUE',
            severity: 'error',
            message: 'Amount spent "=1+2" is not a number.',
          },
          {
            row: null,
            column: null,
            code: 'MISSING_COLUMN',
            severity: 'warning',
            message: '-no conversions column, "quoted", and, commas',
          },
        ],
      }),
      out,
    );
    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.endsWith('\r\n')).toBe(true);
    const parsed = Papa.parse<string[]>(text.trimEnd(), { newline: '\r\n' }).data;
    expect(parsed).toEqual([
      ['row', 'column', 'code', 'severity', 'message'],
      ['17', `'=HYPERLINK("http://evil.example","x")`, 'INVALID_VALUE', 'error', 'Amount spent "=1+2" is not a number.'],
      ['', '', 'MISSING_COLUMN', 'warning', `'-no conversions column, "quoted", and, commas`],
    ]);
    expect(readdirSync(dir)).toEqual(['errors.csv']);
  });

  it('a refused file gives one line with the refusal', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'metricdrop-csv-')), 'errors.csv');
    await writeIssuesCsv(report({ refused: { code: 'UNKNOWN_FORMAT', message: 'Not an export.' } }), out);
    expect(readFileSync(out, 'utf8')).toBe(
      '\uFEFF"row","column","code","severity","message"\r\n"","","UNKNOWN_FORMAT","error","Not an export."\r\n',
    );
  });

  it("a .zip of exports: every file's issues or refusal, each line naming the file inside the archive", async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'metricdrop-csv-')), 'errors.csv');
    const bad = { row: 4, column: 'Impressions', code: 'INVALID_VALUE', severity: 'error', message: 'x is not a number.' } as const;
    const warn = { row: null, column: null, code: 'SUMMARY_ROW', severity: 'warning', message: 'Skipped 1 summary row.' } as const;
    await writeIssuesCsv(
      report({
        file: 'exports.zip',
        platform: null,
        entries: [
          report({ file: 'a.csv', issues: [warn] }),
          report({ file: 'cards/b.csv', issues: [bad, { ...bad, row: 9 }] }),
          report({ file: '=HYPERLINK(1).csv', issues: [warn] }),
          report({ file: 'c.zip', refused: { code: 'UNKNOWN_FORMAT', message: 'An archive inside an archive is not opened.' } }),
          report({ file: 'd.csv' }),
        ],
      }),
      out,
    );
    const parsed = Papa.parse<string[]>(readFileSync(out, 'utf8').slice(1).trimEnd(), { newline: '\r\n' }).data;
    expect(parsed).toEqual([
      ['row', 'column', 'code', 'severity', 'message', 'file'],
      ['', '', 'SUMMARY_ROW', 'warning', 'Skipped 1 summary row.', 'a.csv'],
      ['4', 'Impressions', 'INVALID_VALUE', 'error', 'x is not a number.', 'cards/b.csv'],
      ['9', 'Impressions', 'INVALID_VALUE', 'error', 'x is not a number.', 'cards/b.csv'],
      ['', '', 'SUMMARY_ROW', 'warning', 'Skipped 1 summary row.', "'=HYPERLINK(1).csv"],
      ['', '', 'UNKNOWN_FORMAT', 'error', 'An archive inside an archive is not opened.', 'c.zip'],
    ]);
  });

  it('a .zip refused whole keeps the one-line refusal of a file', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'metricdrop-csv-')), 'errors.csv');
    await writeIssuesCsv(report({ file: 'big.zip', entries: [], refused: { code: 'FILE_TOO_LARGE', message: 'Too many files.' } }), out);
    expect(readFileSync(out, 'utf8')).toBe(
      '\uFEFF"row","column","code","severity","message"\r\n"","","FILE_TOO_LARGE","error","Too many files."\r\n',
    );
  });

  it('leaves no half-written file when the folder does not exist', async () => {
    await expect(writeIssuesCsv(report({}), join(tmpdir(), 'no-such-folder-metricdrop', 'e.csv'))).rejects.toThrow(/ENOENT/);
  });
});

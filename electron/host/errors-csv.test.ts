import { describe, expect, it } from 'vitest';
import type { ValidationIssue } from '../../shared/report.ts';
import { errorsCsvName, issuesToCsv, textCell } from './errors-csv.ts';

const issue = (message: string, column: string | null = 'Campaign name', row: number | null = 17): ValidationIssue => ({
  row,
  column,
  code: 'INVALID_VALUE',
  severity: 'error',
  message,
});

describe('errors CSV (OWASP formula injection)', () => {
  it('neutralises the two OWASP examples exactly as the cheat sheet writes them', () => {
    expect(textCell('=1+2";=1+2')).toBe(`"'=1+2"";=1+2"`);
    expect(textCell(`=1+2'" ;,=1+2`)).toBe(`"'=1+2'"" ;,=1+2"`);
  });

  it.each([
    ['@SUM(1,1)', `"'@SUM(1,1)"`],
    ["-2+3+cmd|' /C calc'!A0", `"'-2+3+cmd|' /C calc'!A0"`],
    ['\t=1', `"'\t=1"`],
    ['+1', `"'+1"`],
    ['\r=1', `"'\r=1"`],
    ['\n=1', `"'\n=1"`],
  ])('prefixes a text cell starting with a formula character: %j', (value, expected) => {
    expect(textCell(value)).toBe(expected);
  });

  it('leaves ordinary text alone but quotes it, keeping commas, semicolons and newlines inside the cell', () => {
    expect(textCell('Prospecting | US, CA')).toBe('"Prospecting | US, CA"');
    expect(textCell('a;b\nc')).toBe('"a;b\nc"');
    expect(textCell('say "hi"')).toBe('"say ""hi"""');
  });

  it('writes a BOM, a header, CRLF lines, row numbers as numbers and an empty cell for a file-level issue', () => {
    const csv = issuesToCsv([issue('=HYPERLINK("http://evil")', '=cmd'), issue('whole file', null, null)]);
    expect(csv.startsWith('\uFEFF"Row","Column","Code","Severity","Message"\r\n')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[1]).toBe(`"17","'=cmd","INVALID_VALUE","error","'=HYPERLINK(""http://evil"")"`);
    expect(lines[2]).toBe('"","","INVALID_VALUE","error","whole file"');
    expect(lines[3]).toBe('');
  });

  it('names the CSV after the export', () => {
    expect(errorsCsvName('meta-sept.csv')).toBe('meta-sept-errors.csv');
    expect(errorsCsvName('google.report.tsv')).toBe('google.report-errors.csv');
  });
});

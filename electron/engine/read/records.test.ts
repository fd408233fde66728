import { mkdtempSync, mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { AppError, FILE_LIMITS } from '../../../shared/errors.ts';
import { readCsvRecords } from './records.ts';

const dir = mkdtempSync(join(tmpdir(), 'metricdrop-records-'));
let n = 0;
function file(content: string | Buffer): string {
  const path = join(dir, `f${n++}.csv`);
  writeFileSync(path, content);
  return path;
}

async function records(path: string) {
  const out: { row: number; fields: string[]; malformed: string | null }[] = [];
  const summary = await readCsvRecords(path, (fields, row, malformed) => {
    out.push({ row, fields, malformed });
    return true;
  });
  return { out, summary };
}

describe('readCsvRecords', () => {
  it('numbers spreadsheet rows: one per record, a multi-line cell is one row, preamble and blank lines count', async () => {
    const path = file('Title\n"Sep 1, 2025 - Sep 2, 2025"\nA,B\n1,"two\nlines"\n\n3,"say ""hi"", ok"\n4,x');
    const { out } = await records(path);
    expect(out.map((r) => [r.row, r.fields])).toEqual([
      [1, ['Title']],
      [2, ['Sep 1, 2025 - Sep 2, 2025']],
      [3, ['A', 'B']],
      [4, ['1', 'two\nlines']],
      [5, ['']],
      [6, ['3', 'say "hi", ok']],
      [7, ['4', 'x']],
    ]);
  });

  it('handles CRLF with LF inside quoted cells', async () => {
    const { out, summary } = await records(file('A,B\r\n1,"x\ny"\r\n2,z\r\n'));
    expect(summary.dialect).toEqual({ delimiter: ',', newline: '\r\n' });
    expect(out.slice(0, 3).map((r) => r.fields)).toEqual([
      ['A', 'B'],
      ['1', 'x\ny'],
      ['2', 'z'],
    ]);
  });

  it('keeps records whole across 1 MiB read chunks, with multi-byte characters on the boundary', async () => {
    const line = `2025-09-01,${'z'.repeat(20)},2\n`;
    const parts = ['day,name,value\n'];
    let bytes = parts[0]!.length;
    while (bytes + line.length < (1 << 20) - 30) {
      parts.push(line);
      bytes += line.length;
    }
    const lines = parts.length;
    const special = `2025-09-02,"€€€€€€€€€€€€ multi\nline €€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€",3\n`;
    // The boundary falls inside the quoted cell, in the middle of its three-byte characters.
    expect(bytes < 1 << 20 && bytes + Buffer.byteLength(special) > 1 << 20).toBe(true);
    parts.push(special, '2025-09-03,after,4\n');
    const { out } = await records(file(parts.join('')));
    const record = out.find((r) => r.fields[0] === '2025-09-02')!;
    expect(record.row).toBe(lines + 1);
    expect(record.fields[1]).toBe('€€€€€€€€€€€€ multi\nline €€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€');
    expect(out.find((r) => r.fields[0] === '2025-09-03')!.row).toBe(lines + 2);
  });

  for (const newline of ['\r\n', '\n', '\r'] as const) {
    it(`reads a file in pieces exactly as one parse of the whole text: quotes, multi-byte text, stray quotes (${JSON.stringify(newline)})`, async () => {
      // Cells that put every kind of boundary (inside quotes, between CR and LF, inside a character,
      // right after a closing quote, a stray quote) at every offset as the rows shift through 3 MB.
      const cells = ['"a, ""b"""', 'plain', '"multi\r\nline €"', '€€€', '"x"', '', '"bad"quote', '🌙"', '1,5', '"ok"', '"\n"', 'lone\nLF'];
      const parts = [`Day,Name,Value,More${newline}`];
      for (let i = 0, size = 0; size < 3 * (1 << 20); i++) {
        const row = `2025-09-${String((i % 28) + 1).padStart(2, '0')},${cells[i % cells.length]},${i},${cells[(i * 7) % cells.length]}${'€'.repeat(i % 5)}${newline}`;
        parts.push(row);
        size += Buffer.byteLength(row);
      }
      const text = parts.join('');
      const { out, summary } = await records(file(text));
      const whole = Papa.parse<string[]>(text, { delimiter: ',', newline, quoteChar: '"' });
      expect(summary.dialect).toEqual({ delimiter: ',', newline });
      // A whole-text parse ending in a line break ends with an empty record; the reader has no such record.
      const last = whole.data[whole.data.length - 1]!;
      if (last.length === 1 && last[0] === '') whole.data.pop();
      expect(out.map((r) => r.fields)).toEqual(whole.data);
      const malformed = [...new Set(whole.errors.map((e) => e.row!))].sort((a, b) => a - b);
      expect(malformed.length).toBeGreaterThan(100);
      expect(out.filter((r) => r.malformed !== null).map((r) => r.row - 1)).toEqual(malformed);
    });
  }

  it('marks a record whose quoted cell never closes', async () => {
    const { out } = await records(file('A,B\n1,"open\n2,b\n'));
    expect(out[1]).toMatchObject({ row: 2, malformed: expect.stringMatching(/never closed/) });
  });

  it('marks a quoted cell that never closes early in a large file, the rows before it whole', async () => {
    // The quote opens in the first of the first megabyte's pieces and runs on to the end of 2 MB.
    const rows = Array.from({ length: 30 }, (_, i) => `2025-09-01,row ${i},${i}\n`).join('');
    const rest = Array.from({ length: 60_000 }, (_, i) => `2025-09-02,after ${i},${i}\n`).join('');
    const { out } = await records(file(`Day,Name,Value\n${rows}2025-09-01,"open,1\n${rest}`));
    expect(out).toHaveLength(32);
    expect(out[30]).toMatchObject({ row: 31, fields: ['2025-09-01', 'row 29', '29'], malformed: null });
    expect(out[31]).toMatchObject({ row: 32, malformed: expect.stringMatching(/never closed/) });
    expect(out[31]!.fields[1]).toContain('after 59999');
  });

  it('stops when the sink says so', async () => {
    let seen = 0;
    const summary = await readCsvRecords(file('a\nb\nc\nd\n'), () => ++seen < 2);
    expect(summary.stopped).toBe(true);
    expect(seen).toBe(2);
  });

  it('refuses a file over the limit from its size alone, before reading it', async () => {
    const path = join(dir, 'huge.csv');
    writeFileSync(path, 'A,B\n');
    truncateSync(path, FILE_LIMITS.maxFileBytes + 1); // sparse: nothing of it is ever read
    await expect(readCsvRecords(path, () => true)).rejects.toMatchObject({
      code: 'FILE_TOO_LARGE',
      message: expect.stringMatching(/50\.0 MB/),
    });
  });

  it('refuses what is not a readable file', async () => {
    const folder = join(dir, 'folder.csv');
    mkdirSync(folder);
    await expect(readCsvRecords(folder, () => true)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(readCsvRecords(join(dir, 'missing.csv'), () => true)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/no such file/),
    });
  });

  it('reads a file that turns out to be in a legacy code page in its fourth megabyte, and says so when it does', async () => {
    const head = 'Day,Campaign,Clicks\n' + '2025-09-01,Brand,10\n'.repeat(160_000);
    const tail = '2025-09-02,秋のキャンペーン（東京）,12\n2025-09-03,冬のキャンペーン（大阪）,7\n';
    expect(Math.floor(head.length / (1 << 20))).toBe(3);
    const encodings: string[] = [];
    const out: string[][] = [];
    const summary = await readCsvRecords(
      file(Buffer.concat([Buffer.from(head), iconv.encode(tail, 'cp932')])),
      (fields) => out.push(fields) > 0,
      (encoding) => encodings.push(encoding),
    );
    expect(encodings).toEqual(['utf-8', 'shift_jis']);
    expect(summary.encoding).toBe('shift_jis');
    expect(out).toHaveLength(160_003);
    expect(out.slice(-2)).toEqual([
      ['2025-09-02', '秋のキャンペーン（東京）', '12'],
      ['2025-09-03', '冬のキャンペーン（大阪）', '7'],
    ]);
  });

  it('tells the code page from bytes held back to the very end (a cut character), refusing when they are too few', async () => {
    const path = file(
      Buffer.concat([Buffer.from('Day,Campaign\n' + '2025-09-01,Brand\n'.repeat(70_000) + '2025-09-02,x'), Buffer.from([0xe3, 0x81])]),
    );
    let error: unknown;
    try {
      await records(path);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('ENCODING_ERROR');
    expect((error as AppError).message).toMatch(
      /cannot tell its encoding: it is most likely Shift_JIS \(Japanese\) or GB18030 \(Simplified Chinese\)/,
    );
  });

  it('reads Polish rows in Windows-1250 that begin half a megabyte into the fourth megabyte as Windows-1250', async () => {
    const head = 'Day,Campaign name,Amount spent (PLN)\r\n' + '2025-09-01,Brand,10\r\n'.repeat(175_000);
    const tail = '2025-09-02,Świąteczna kampania Poznań,12.5\r\n2025-09-03,Kampania jesień Łódź Gdańsk żółć,3\r\n';
    expect(head.length - 3 * (1 << 20)).toBeGreaterThan(512 * 1024);
    const out: string[][] = [];
    const summary = await readCsvRecords(
      file(Buffer.concat([Buffer.from(head), iconv.encode(tail, 'win1250')])),
      (fields) => out.push(fields) > 0,
    );
    expect(summary.encoding).toBe('windows-1250');
    expect(out.slice(-2).map((r) => r[1])).toEqual(['Świąteczna kampania Poznań', 'Kampania jesień Łódź Gdańsk żółć']);
  });
});

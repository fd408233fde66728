import { createWriteStream, mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FILE_LIMITS } from '../../shared/errors.ts';
import { validateExport } from '../../electron/engine/validate/index.ts';
import { nameKey } from '../../electron/engine/validate/ids.ts';

/** Issues about rows (the files here leave out conversion columns on purpose: those warnings have no row). */
const rowIssues = <T extends { row: number | null }>(r: { issues: T[] }) => r.issues.filter((i) => i.row !== null);

const dir = mkdtempSync(join(tmpdir(), 'metricdrop-validate-'));
let n = 0;
function file(content: string): string {
  const path = join(dir, `f${n++}.csv`);
  writeFileSync(path, content);
  return path;
}

/** Writes a campaign-level Meta export with `rows` data rows (plus a summary row), streaming. */
async function bigMetaFile(rows: number): Promise<string> {
  const path = join(dir, `big${n++}.csv`);
  const out = createWriteStream(path);
  out.write('Day,"Campaign name","Campaign ID","Amount spent (USD)",Impressions,"Link clicks"\n');
  out.write(',,,99999,1,1\n');
  for (let i = 0; i < rows; i++) {
    const day = `2025-${String(1 + (Math.floor(i / 28 / 4000) % 12)).padStart(2, '0')}-${String(1 + (Math.floor(i / 4000) % 28)).padStart(2, '0')}`;
    if (!out.write(`${day},C${i % 4000},${1000000 + (i % 4000)},1.25,10,1\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return path;
}

describe('limits', () => {
  it('a file over 50 MB is refused from its size, before any byte is read', async () => {
    const path = file('Day,Campaign\n');
    truncateSync(path, FILE_LIMITS.maxFileBytes + 1);
    const { report } = await validateExport(path);
    expect(report.refused?.code).toBe('FILE_TOO_LARGE');
    expect(report).toMatchObject({ bytes: FILE_LIMITS.maxFileBytes + 1, sha256: null, platform: null });
  });

  it('100,000 data rows (plus the summary row) are accepted; row 100,001 stops reading with TOO_MANY_ROWS', async () => {
    const exactly = await validateExport(await bigMetaFile(100_000));
    expect(exactly.report.refused).toBeNull();
    expect(exactly.report.rows).toEqual({ total: 100_001, valid: 100_000, invalid: 0, skipped: 1 });
    expect(exactly.report.totals).toMatchObject({ spend: '125000', impressions: '1000000', clicks: '100000' });

    const over = await validateExport(await bigMetaFile(100_001));
    expect(over.report.refused?.code).toBe('TOO_MANY_ROWS');
    expect(over.report.refused?.message).toMatch(/row 100003 is one too many/);
    expect(over.report.sha256).toBeNull();
  }, 60_000);
});

describe('decisions taken once per file', () => {
  it('when the whole file decides differently from its first rows, every row is read under the final decision', async () => {
    const lines = ['Campaign report', '"September 1, 2025 - September 2, 2025"', 'Day,Campaign,Campaign ID,Impr.,Clicks,Cost'];
    for (let i = 0; i < 2500; i++) lines.push(`2025-09-01,C${i},${1000 + i},100,1,1.500`);
    lines.push('2025-09-02,C0,1000,100,1,"12,50"');
    const { report, rows, facts } = await validateExport(file(lines.join('\n')));
    expect(facts.passes).toBe(2);
    expect(facts.decimalMark).toBe(',');
    expect(rows[0]!.row.spend).toBe('1500');
    expect(report.totals.spend).toBe('3750012.5');
    expect(rowIssues(report)).toEqual([]);
  });

  it('an ID column found rounded after the first rows is not used anywhere in the file', async () => {
    const lines = ['Day,"Campaign name","Campaign ID","Amount spent (USD)",Impressions,"Link clicks"'];
    for (let i = 0; i < 2100; i++) lines.push(`2025-09-01,Camp ${i},12021555331076${1000 + i},1,1,1`);
    lines.push('2025-09-02,Camp 0,1.20216E+17,1,1,1');
    const { report, rows, facts } = await validateExport(file(lines.join('\n')));
    expect(facts.passes).toBe(2);
    expect(rows.every((r) => r.row.campaign_external_id === nameKey(null, r.row.campaign_name))).toBe(true);
    expect(rowIssues(report)).toEqual([expect.objectContaining({ row: 2102, column: 'Campaign ID', severity: 'warning' })]);
    expect(report.entities.campaigns).toBe(2100);
  });

  it('dates that read both ways with no way to tell are refused per row, never guessed', async () => {
    const csv =
      'Day,"Campaign name","Campaign ID","Amount spent (USD)",Impressions,"Link clicks"\n01/02/2025,A,1,1,1,1\n02/01/2025,A,1,1,1,1\n05/05/2025,A,1,1,1,1\n';
    const { report } = await validateExport(file(csv));
    expect(report.rows).toEqual({ total: 3, valid: 1, invalid: 2, skipped: 0 });
    expect(rowIssues(report).map((i) => [i.row, i.column])).toEqual([
      [2, 'Day'],
      [3, 'Day'],
    ]);
    expect(report.issues.find((i) => i.row === 2)!.message).toMatch(/day\/month or month\/day/);
  });

  it('rows in another currency than the file are errors', async () => {
    const csv =
      'Day,Campaign,Campaign ID,Currency code,Impr.,Clicks,Cost\n2025-09-01,A,1,USD,1,1,1\n2025-09-01,B,2,USD,1,1,1\n2025-09-01,C,3,EUR,1,1,1\n2025-09-01,D,4,usd,1,1,2\n';
    const { report, rows } = await validateExport(file(csv));
    expect(report.currency).toBe('USD');
    expect(rowIssues(report)).toEqual([
      expect.objectContaining({
        row: 4,
        column: 'Currency code',
        code: 'INVALID_VALUE',
        message: expect.stringMatching(/in EUR but the file's spend is in USD/),
      }),
    ]);
    expect(rows.map((r) => r.row.currency)).toEqual(['USD', 'USD', 'USD']);
  });
});

describe('damaged and unusual files', () => {
  it('a quote that never closes marks its row; nothing after it is silently lost', async () => {
    const csv =
      'Day,"Campaign name","Campaign ID","Amount spent (USD)",Impressions,"Link clicks"\n2025-09-01,A,1,1,1,1\n2025-09-02,"B,2,1,1,1\n2025-09-03,C,3,1,1,1\n';
    const { report } = await validateExport(file(csv));
    expect(report.rows).toMatchObject({ total: 2, valid: 1, invalid: 1 });
    expect(rowIssues(report)[0]).toMatchObject({ row: 3, code: 'INVALID_VALUE', message: expect.stringMatching(/never closed/) });
  });

  it('blank lines are spreadsheet rows but not data', async () => {
    const csv =
      'Day,"Campaign name","Campaign ID","Amount spent (USD)",Impressions,"Link clicks"\n\n2025-09-01,A,1,1,1,1\n\n\n2025-09-02,A,1,x,1,1\n';
    const { report, rows } = await validateExport(file(csv));
    expect(rows.map((r) => r.rowNumber)).toEqual([3]);
    expect(rowIssues(report).map((i) => i.row)).toEqual([6]);
    expect(report.rows.total).toBe(2);
  });

  it('a column of age ranges and "unknown" is a demographic breakdown whatever it is called', async () => {
    const csv =
      'Day,"Campaign name","Campaign ID",Segment,"Amount spent (USD)",Impressions,"Link clicks"\n2025-09-01,A,1,18-24,1,1,1\n2025-09-01,A,1,25-34,1,1,1\n2025-09-01,A,1,unknown,1,1,1\n';
    const { report } = await validateExport(file(csv));
    expect(report.refused).toMatchObject({
      code: 'SCHEMA_INCOMPLETE',
      message: expect.stringMatching(/demographic breakdown \(columns: Segment\)/),
    });
  });

  it('an ID longer than any platform writes is an error on its cell', async () => {
    const csv = `Day,"Campaign name","Campaign ID","Amount spent (USD)",Impressions,"Link clicks"\n2025-09-01,A,${'1'.repeat(70)},1,1,1\n2025-09-01,B,120215553310760183,1,1,1\n`;
    const { report, rows } = await validateExport(file(csv));
    expect(report.issues.filter((i) => i.severity === 'error')).toEqual([
      expect.objectContaining({ row: 2, column: 'Campaign ID', message: expect.stringMatching(/longer than 64 characters/) }),
    ]);
    expect(rows.map((r) => r.row.campaign_external_id)).toEqual(['120215553310760183']);
  });

  it('without an ID column, names as long as the platforms allow are the keys (a key derived from the name)', async () => {
    // Meta's naming conventions make 75-character campaign names; Google allows 255 characters.
    const meta = 'BRAND || TOF || CBO || Traffic || 26/1/26 - Visit Profile || Broad || 18-65+';
    const google = `Generic | ${'Search | '.repeat(27)}EN`.slice(0, 255);
    const tooLong = 'y'.repeat(1025);
    const csv = `Day,Campaign,Impressions,Clicks,Cost\n2025-09-01,${meta},1,1,1\n2025-09-02,${meta},2,1,1\n2025-09-01,${google},1,1,1\n2025-09-01,${tooLong},1,1,1\n`;
    const { report, rows } = await validateExport(file(csv), { platform: 'google' });
    expect(report.issues.filter((i) => i.severity === 'error')).toEqual([
      expect.objectContaining({ row: 5, column: 'Campaign', message: expect.stringMatching(/longer than 1024 characters/) }),
    ]);
    expect(rows.map((r) => r.row.campaign_name)).toEqual([meta, meta, google]);
    expect(report.entities.campaigns).toBe(2);
    for (const { row } of rows) {
      expect(row.campaign_external_id).toBe(nameKey(null, row.campaign_name));
      expect(row.campaign_external_id.length).toBeLessThanOrEqual(64);
    }
  });

  it('matched by name, two ad sets of one name in two campaigns are two ad sets, each under its campaign', async () => {
    const csv =
      'Day,"Campaign name","Ad set name","Amount spent (USD)",Impressions,"Link clicks"\n2025-09-01,Spring,Broad,1,1,1\n2025-09-01,Autumn,Broad,2,2,2\n2025-09-02,Spring,Broad,3,3,3\n';
    const { report, rows } = await validateExport(file(csv));
    expect(report.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(report.entities).toMatchObject({ campaigns: 2, adSets: 2 });
    const [spring, autumn, springAgain] = rows.map((r) => r.row);
    expect(spring!.ad_set_external_id).toBe(nameKey(spring!.campaign_external_id, 'Broad'));
    expect(autumn!.ad_set_external_id).not.toBe(spring!.ad_set_external_id);
    expect(springAgain!.ad_set_external_id).toBe(spring!.ad_set_external_id);
  });

  it('an ID column holding a key of the form metricdrop derives from names is refused, not taken as an ID', async () => {
    const csv = `Day,"Campaign name","Campaign ID","Amount spent (USD)",Impressions,"Link clicks"\n2025-09-01,A,name:abc,1,1,1\n`;
    const { report } = await validateExport(file(csv));
    expect(report.issues.filter((i) => i.severity === 'error')).toEqual([
      expect.objectContaining({ row: 2, column: 'Campaign ID', message: expect.stringMatching(/not an ID any platform writes/) }),
    ]);
  });

  it('a quote that never closes in a large file stops reading at 8 MB instead of holding the file', async () => {
    const path = join(dir, `open-quote${n++}.csv`);
    const out = createWriteStream(path);
    out.write(
      'Day,"Campaign name","Campaign ID","Amount spent (USD)",Impressions,"Link clicks"\n2025-09-01,A,1,1,1,1\n2025-09-02,"B,2,1,1,1\n',
    );
    const line = `2025-09-03,C,3,1,1,1${' '.repeat(1000)}\n`;
    for (let i = 0; i < 10_000; i++) if (!out.write(line)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
    const { report } = await validateExport(path);
    expect(report.refused).toEqual({ code: 'INVALID_INPUT', message: expect.stringMatching(/^Row 3 never ends: .*more than 8 MB/) });
  });

  it('a record with thousands of columns is refused before anything looks at them', async () => {
    const { report } = await validateExport(file(`${Array.from({ length: 5000 }, (_, i) => `c${i}`).join(',')}\n`));
    expect(report.refused).toMatchObject({ code: 'UNKNOWN_FORMAT', message: expect.stringMatching(/Row 1 has 5,000 columns/) });
  });

  it('a header alone is a valid file with nothing to import', async () => {
    const { report } = await validateExport(
      file('Day,"Campaign name","Campaign ID","Amount spent (USD)",Impressions,"Link clicks",Purchases,"Purchases conversion value"\n'),
    );
    expect(report).toMatchObject({ refused: null, rows: { total: 0, valid: 0, invalid: 0, skipped: 0 }, dateRange: null });
    expect(report.issues).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(/^This export is empty: it has a header but no rows/),
      }),
    ]);
  });
});

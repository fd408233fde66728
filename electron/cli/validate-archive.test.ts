import { mkdtempSync, readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidateReport } from '../../shared/report.ts';
import { openStore, storeFile } from '../engine/store/open.ts';
import { listValidations } from '../engine/store/validations.ts';
import { runCliInProcess } from '../../test/support/run-cli.ts';
import { ACCEPTED_FIXTURES } from '../../test/fixtures/expected.ts';

const fixture = (name: string) => join(import.meta.dirname, '..', '..', 'test', 'fixtures', name);

describe('metricdrop validate on a .zip and an .xlsx', () => {
  it("--json prints the archive's document with one report per file inside, exits with the worst, records each file", async () => {
    const home = mkdtempSync(join(tmpdir(), 'metricdrop-cli-zip-'));
    const r = await runCliInProcess(['validate', fixture('zip/two-exports-one-with-row-errors.zip'), '--json'], { METRICDROP_HOME: home });
    expect(r.code).toBe(1);
    const doc = ValidateReport.parse(JSON.parse(r.stdout));
    expect(doc.file).toBe('two-exports-one-with-row-errors.zip');
    expect(doc.entries?.map((e) => [e.file, e.rows.invalid > 0])).toEqual([
      ['meta-ad-daily.csv', false],
      ['meta-ad-daily-errors.csv', true],
    ]);
    const db = openStore(storeFile(home));
    try {
      // Each file inside is recorded as a validation of its own (for a dry run or upload of it), then the archive.
      expect(
        listValidations(db, { limit: 10 })
          .map((v) => v.report.file)
          .sort(),
      ).toEqual(['meta-ad-daily-errors.csv', 'meta-ad-daily.csv', 'two-exports-one-with-row-errors.zip']);
    } finally {
      db.close();
    }
  });

  it('prints each file inside in words, and refuses to upload an archive', async () => {
    const home = mkdtempSync(join(tmpdir(), 'metricdrop-cli-zip-'));
    const r = await runCliInProcess(['validate', fixture('zip/google-overview-cards.zip')], { METRICDROP_HOME: home });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('google-overview-cards.zip: an archive of 4 files, each validated on its own (2 refused):');
    expect(r.stdout).toContain('  cards/Campaign report.xlsx: Google Ads export, campaign level, USD');
    expect(r.stdout).toContain('    read:     Excel workbook, sheet "Campaign report"; percentages stored as fractions in CTR');
    const up = await runCliInProcess(['upload', fixture('zip/google-overview-cards.zip'), '--client', 'Acme', '--json'], {
      METRICDROP_HOME: home,
    });
    expect(up.code).toBe(2);
    expect(JSON.parse(up.stdout).refused.message).toMatch(/is an archive of 4 files\. Unpack it and upload each export on its own/);
  });

  it("--errors-csv writes every file's issues, each line naming the file inside the archive", async () => {
    const home = mkdtempSync(join(tmpdir(), 'metricdrop-cli-zip-'));
    const out = join(home, 'errors.csv');
    const r = await runCliInProcess(['validate', fixture('zip/two-exports-one-with-row-errors.zip'), '--errors-csv', out], {
      METRICDROP_HOME: home,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`Every issue is in ${out}.`);
    const [header, ...lines] = Papa.parse<string[]>(readFileSync(out, 'utf8').slice(1).trimEnd(), { newline: '\r\n' }).data;
    expect(header).toEqual(['row', 'column', 'code', 'severity', 'message', 'file']);
    // The fixtures inside, with the issues test/fixtures/expected.ts gives for each on its own.
    const want = [
      ['meta-ad-daily.csv', ACCEPTED_FIXTURES['meta/ad-daily-summary-row.csv']!],
      ['meta-ad-daily-errors.csv', ACCEPTED_FIXTURES['meta/ad-daily-row-errors.csv']!],
    ] as const;
    expect(lines.map((l) => [l[5], l[0] === '' ? null : Number(l[0]), l[1] === '' ? null : l[1], l[2], l[3]])).toEqual(
      want.flatMap(([file, f]) => f.issues.map((i) => [file, i.row, i.column, i.code, i.severity])),
    );
    lines.forEach((l, k) => expect(l[4]).toContain(want.flatMap(([, f]) => f.issues)[k]!.contains));
  });

  it('--errors-csv names the refusal of each file inside that is refused', async () => {
    const home = mkdtempSync(join(tmpdir(), 'metricdrop-cli-zip-'));
    const out = join(home, 'errors.csv');
    const r = await runCliInProcess(['validate', fixture('zip/google-overview-cards.zip'), '--errors-csv', out, '--json'], {
      METRICDROP_HOME: home,
    });
    expect(r.code).toBe(2);
    const doc = ValidateReport.parse(JSON.parse(r.stdout));
    const lines = Papa.parse<string[]>(readFileSync(out, 'utf8').slice(1).trimEnd(), { newline: '\r\n' }).data.slice(1);
    const refused = doc.entries!.filter((e) => e.refused);
    expect(refused.map((e) => e.file)).toEqual(['Demographics(Age_2025.09.01-2025.09.03).csv', 'older cards.zip']);
    for (const e of refused) expect(lines).toContainEqual(['', '', e.refused!.code, 'error', e.refused!.message, e.file]);
    // Every file inside has its lines: its refusal, or each of its issues.
    expect(lines.map((l) => l[5])).toEqual(doc.entries!.flatMap((e) => (e.refused ? [e.file] : e.issues.map(() => e.file))));
  });
});

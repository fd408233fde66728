import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidateReport } from '../../shared/report.ts';
import { openStore, storeFile } from '../engine/store/open.ts';
import { listValidations } from '../engine/store/validations.ts';
import { runCliInProcess } from '../../test/support/run-cli.ts';

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
});

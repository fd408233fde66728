import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidateReport } from '../../shared/report.ts';
import { exitCodeForReport, validateExport } from '../../electron/engine/validate/index.ts';
import { ACCEPTED_FIXTURES, REFUSED_FIXTURES } from '../fixtures/expected.ts';

const fixture = (name: string) => join(import.meta.dirname, '..', 'fixtures', name);

describe('a .zip of exports: each file inside is validated as if dropped on its own', () => {
  it('Google "download all cards": a CSV, a workbook, a breakdown and a nested archive, each with its own result', async () => {
    const { report } = await validateExport(fixture('zip/google-overview-cards.zip'));
    expect(ValidateReport.parse(report)).toEqual(report);
    expect(report.refused).toBeNull();
    expect(report.sha256).toMatch(/^[0-9a-f]{64}$/);
    const entries = report.entries!;
    expect(entries.map((e) => [e.file, e.refused?.code ?? null])).toEqual([
      ['Campaigns(2025.09.01-2025.09.03).csv', null],
      ['cards/Campaign report.xlsx', null],
      ['Demographics(Age_2025.09.01-2025.09.03).csv', REFUSED_FIXTURES['google/demographics-age-range.csv']!.refused],
      ['older cards.zip', 'UNKNOWN_FORMAT'],
    ]);
    // Exactly what the same files validate to on their own.
    expect(entries[0]!.totals).toEqual(ACCEPTED_FIXTURES['google/campaign-daily-preamble-totals.csv']!.totals);
    expect(entries[1]!.totals).toEqual(ACCEPTED_FIXTURES['xlsx/google-campaign-daily-title-rows.xlsx']!.totals);
    expect(entries[1]!.read?.encoding).toBe('xlsx');
    const alone = (await validateExport(fixture('google/campaign-daily-preamble-totals.csv'))).report;
    expect({ ...entries[0]!, file: alone.file }).toEqual(alone);
    expect(entries[3]!.refused!.message).toMatch(/archive inside the archive/);
    expect(exitCodeForReport(report)).toBe(2);
  });

  it('the exit code is the worst of the files inside', async () => {
    const { report } = await validateExport(fixture('zip/two-exports-one-with-row-errors.zip'));
    expect(report.entries!.map((e) => exitCodeForReport(e))).toEqual([0, 1]);
    expect(exitCodeForReport(report)).toBe(1);
  });
});

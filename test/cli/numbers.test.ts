import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidateReport } from '../../shared/report.ts';
import { ACCEPTED_FIXTURES } from '../fixtures/expected.ts';
import { runCliInProcess } from '../support/run-cli.ts';

/**
 * Issue 10's number cases through the command line a user runs: `metricdrop validate --json` gives
 * the value a careful person reads, or an error on the cell (row and column) and exit 1, never a
 * smaller or larger number silently.
 */
const fixture = (name: string) => join(import.meta.dirname, '..', 'fixtures', name);
const validate = async (name: string, ...flags: string[]) => {
  const r = await runCliInProcess(['validate', fixture(name), ...flags], { METRICDROP_HOME: mkdtempSync(join(tmpdir(), 'metricdrop-numbers-')) });
  return r;
};

describe('metricdrop validate --json on the number fixtures', () => {
  const names = Object.keys(ACCEPTED_FIXTURES).filter((n) => n.startsWith('numbers/'));
  it('has number fixtures to run', () => expect(names.length).toBeGreaterThan(0));
  for (const name of names) {
    const want = ACCEPTED_FIXTURES[name]!;
    it(name, async () => {
      const r = await validate(name, '--json');
      expect(r.stderr).toBe('');
      const report = ValidateReport.parse(JSON.parse(r.stdout));
      expect(r.code).toBe(want.rows.invalid > 0 ? 1 : 0);
      expect({ rows: report.rows, totals: report.totals, currency: report.currency }).toEqual({ rows: want.rows, totals: want.totals, currency: want.currency });
      expect(report.issues.map(({ row, column, code, severity }) => ({ row, column, code, severity }))).toEqual(
        want.issues.map(({ row, column, code, severity }) => ({ row, column, code, severity })),
      );
      want.issues.forEach((w, i) => {
        if (w.contains) expect(report.issues[i]!.message).toContain(w.contains);
      });
    });
  }
});

describe('what the person reads in the summary', () => {
  it('a 20-digit Impressions cell is an error on its row and column, not a failed upload later', async () => {
    const r = await validate('numbers/meta-campaign-over-the-limits.csv');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/row 3, Impressions: INVALID_VALUE: Impressions "12345678901234567890" cannot be stored \(it must be a whole number of at most 18 digits\)/);
    expect(r.stdout).toMatch(/row 6, Amount spent \(USD\): INVALID_VALUE: .*at most 40 characters/);
  });

  it('campaigns named "Total Wine | Prospecting" and "Gesamt Deutschland" are imported; the blank summary row is skipped and named', async () => {
    const r = await validate('numbers/meta-campaign-no-ids-total-names.csv', '--json');
    expect(r.code).toBe(0);
    const report = ValidateReport.parse(JSON.parse(r.stdout));
    expect(report.rows).toMatchObject({ valid: 6, skipped: 1 });
    expect(report.totals.spend).toBe('383.6');
    expect(report.issues.find((i) => i.code === 'SUMMARY_ROW')?.message).toContain('row 2 (summary row)');
  });

  it("Google's total rows are named by their labels, wherever the label sits", async () => {
    const r = await validate('numbers/google-adgroup-totals-in-name-column.csv');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('10 rows read, 6 valid, 4 summary/total rows skipped');
    expect(r.stdout).toContain('rows 10 (Total: Account), 11 (Total: Search), 12 (Total - filtered) and 13 (Total)');
  });
});

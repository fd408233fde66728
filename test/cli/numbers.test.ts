import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidateReport } from '../../shared/report.ts';
import { ACCEPTED_FIXTURES } from '../fixtures/expected.ts';
import { runCliInProcess } from '../support/run-cli.ts';

/**
 * How numbers are read, through the command line a user runs: `metricdrop validate --json` gives
 * the value a careful person reads, or an error on the cell (row and column) and exit 1, never a
 * smaller or larger number silently.
 */
const fixture = (name: string) => join(import.meta.dirname, '..', 'fixtures', name);
const validate = async (name: string, ...flags: string[]) => {
  const r = await runCliInProcess(['validate', fixture(name), ...flags], {
    METRICDROP_HOME: mkdtempSync(join(tmpdir(), 'metricdrop-numbers-')),
  });
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
      expect({ rows: report.rows, totals: report.totals, currency: report.currency }).toEqual({
        rows: want.rows,
        totals: want.totals,
        currency: want.currency,
      });
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
    expect(r.stdout).toMatch(
      /row 3, Impressions: INVALID_VALUE: Impressions "12345678901234567890" cannot be stored \(it must be a whole number of at most 18 digits\)/,
    );
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

  it('impressions "120.000" beside a spend of "12.50" are an error naming both readings, never 120', async () => {
    const r = await validate('numbers/meta-dot-grouped-counts-point-spend.csv');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('6 rows read, 2 valid, 4 with errors');
    expect(r.stdout).toContain(
      'row 4, Impressions: INVALID_VALUE: Impressions "120.000" is ambiguous: a count has no decimals, so "." would group thousands (120000), but Amount spent (USD) writes decimals with a point (row 2: 12.50), which makes it 120.',
    );
    expect(r.stdout).toContain('impressions 119984, clicks 1028');
  });

  it('Cost "78,55" in an English file: Conversions "2.500" and Conv. value "1,250" are asked, not read as 2500 and 1.25', async () => {
    const r = await validate('numbers/google-comma-cost-english-names.csv', '--json');
    expect(r.code).toBe(1);
    const report = ValidateReport.parse(JSON.parse(r.stdout));
    expect(report.issues.map((i) => [i.row, i.column])).toEqual([
      [4, 'Conversions'],
      [4, 'Conv. value'],
      [6, 'Conv. value'],
    ]);
    expect(report.issues[0]!.message).toContain('"2.500" is 2.5 with a decimal point or 2500 with a decimal comma');
    expect(report.totals).toMatchObject({ spend: '18.05', conversions: '1', conversionValue: '40' });
  });

  it('every amount written "1.234": the header language decides, and a warning names the column and both readings', async () => {
    const de = ValidateReport.parse(JSON.parse((await validate('numbers/meta-german-amounts-all-d.ddd.csv', '--json')).stdout));
    expect(de.totals.spend).toBe('6019');
    const en = ValidateReport.parse(JSON.parse((await validate('numbers/meta-english-amounts-all-d.ddd.csv', '--json')).stdout));
    expect(en.totals.spend).toBe('985.039');
    for (const [report, column] of [
      [de, 'Ausgegebener Betrag (EUR)'],
      [en, 'Amount spent (EUR)'],
    ] as const) {
      const w = report.issues.find((i) => i.column === column)!;
      expect(w).toMatchObject({ severity: 'warning', row: 2 });
      expect(w.message).toContain(
        '"1.234" (row 2 and 2 more like it) is 1.234 with a decimal point or 1234 with a decimal comma, a 1,000-fold difference',
      );
    }
  });

  it('"€12.50", "£7.25" and "¥100" in a USD spend column are CURRENCY_MISMATCH on their rows; "$12.50", "US$50.00" and "12.50 USD" are read exactly', async () => {
    const r = await validate('numbers/meta-usd-spend-with-currency-signs.csv');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('6 rows read, 3 valid, 3 with errors');
    expect(r.stdout).toContain('spend 75 USD');
    expect(r.stdout).toContain(
      'row 5, Amount spent (USD): CURRENCY_MISMATCH: Amount spent (USD) "€12.50" is in EUR, but this file\'s amounts are in USD.',
    );
    expect(r.stdout).toContain('row 7, Amount spent (USD): CURRENCY_MISMATCH: Amount spent (USD) "¥100" is in JPY or CNY');
  });

  it("beside Google's Currency code USD a Cost of €12.50 is refused on its row; with no currency column the amounts' own € decide", async () => {
    const usd = ValidateReport.parse(JSON.parse((await validate('numbers/google-currency-code-usd-euro-cost.csv', '--json')).stdout));
    expect(usd.issues.map((i) => [i.row, i.column, i.code])).toEqual([
      [5, 'Cost', 'CURRENCY_MISMATCH'],
      [6, 'Conv. value', 'CURRENCY_MISMATCH'],
    ]);
    const eur = ValidateReport.parse(JSON.parse((await validate('numbers/google-no-currency-column-euro-amounts.csv', '--json')).stdout));
    expect({ currency: eur.currency, spend: eur.totals.spend, value: eur.totals.conversionValue }).toEqual({
      currency: 'EUR',
      spend: '1228.05',
      value: '120.5',
    });
  });
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateExport } from '../../electron/engine/validate/index.ts';
import { openWorkbook } from '../../electron/engine/read/xlsx/workbook.ts';
import { readSheetRows } from '../../electron/engine/read/xlsx/sheet.ts';

const fixture = (name: string) => join(import.meta.dirname, '..', 'fixtures', name);

describe('.xlsx workbooks are read natively, from the sheet that holds the data', () => {
  it('Meta: reads "Raw Data Report" although "Formatted Report" comes first, and says so', async () => {
    const { report, rows, facts } = await validateExport(fixture('xlsx/meta-adset-daily-raw-data-report.xlsx'));
    expect(facts.encoding).toBe('xlsx');
    expect(report.read).toEqual({
      encoding: 'xlsx',
      workbook: { sheet: 'Raw Data Report', sheets: ['Formatted Report', 'Raw Data Report'], fractionColumns: [] },
    });
    expect(report.issues[0]).toMatchObject({ code: 'SEVERAL_SHEETS', severity: 'warning', row: null });
    expect(report.issues[0]!.message).toContain('"Formatted Report"');
    // `7012.0` is 7012; a date written as text in a d/m-styled column stays the date it says.
    expect(rows[0]).toMatchObject({
      rowNumber: 3,
      row: { date: '2025-09-01', impressions: '7012', clicks: '88', spend: '61.07', ad_set_name: 'Broad 25-54' },
    });
  });

  it('TikTok: <dimension ref="A1"> is ignored, serial dates become ISO dates, a fraction column is named', async () => {
    const { report, rows } = await validateExport(fixture('xlsx/tiktok-campaign-daily-dimension-a1.xlsx'));
    expect(report.refused).toBeNull();
    expect(report.read?.workbook?.fractionColumns).toEqual(['CTR (destination)']);
    expect(rows.map((r) => [r.rowNumber, r.row.date, r.row.campaign_name])).toEqual([
      [2, '2025-09-01', 'Spark | Always-on'],
      [3, '2025-09-01', 'Catalog | Retarget'], // this row's cells have no references
      [4, '2025-09-02', 'Spark | Always-on'],
      [5, '2025-09-02', 'Catalog | Retarget'],
    ]);
    expect(report.rows.skipped).toBe(1); // "Total of 2 campaigns"
  });

  it("Google: title and date-range rows above the header, rich text, formula cells, the sheet's own row numbers", async () => {
    const { report, rows, facts } = await validateExport(fixture('xlsx/google-campaign-daily-title-rows.xlsx'));
    expect(facts.headerRow).toBe(3);
    expect(facts.preamble).toEqual(['Campaign report', 'September 1, 2025 - September 2, 2025']);
    expect(rows.map((r) => r.rowNumber)).toEqual([4, 5, 7, 8]);
    expect(rows[0]!.row).toMatchObject({ campaign_name: 'Brand | Search', spend: '78.55', conversion_value: '1250', date: '2025-09-01' });
    expect(rows[1]!.row).toMatchObject({ campaign_name: 'PMax | Shopping', spend: '1487.67', conversion_value: '224144.69' });
    expect(report.read?.workbook?.fractionColumns).toEqual(['CTR']);
  });

  it('stops inflating a sheet as soon as the reader has what it needs', async () => {
    const workbook = await openWorkbook(fixture('xlsx/google-campaign-daily-title-rows.xlsx'));
    try {
      const seen: number[] = [];
      const summary = await readSheetRows(workbook, workbook.sheets[0]!, (_fields, row) => {
        seen.push(row);
        return row < 3;
      });
      expect(summary.stopped).toBe(true);
      expect(seen).toEqual([1, 2, 3]);
    } finally {
      workbook.close();
    }
  });

  it('refuses a legacy .xls and a ZIP without a worksheet with a sentence', async () => {
    const xls = (await validateExport(fixture('refuse/legacy-excel-97.xls'))).report;
    expect(xls.refused).toMatchObject({ code: 'UNKNOWN_FORMAT' });
    expect(xls.refused?.message).toContain('Excel 97-2003');
    const noSheet = (await validateExport(fixture('refuse/meta-report.xlsx'))).report;
    expect(noSheet.refused?.message).toContain('no worksheet');
  });
});

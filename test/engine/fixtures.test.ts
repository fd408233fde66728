import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CanonicalRow } from '../../shared/canonical.ts';
import { ValidateReport } from '../../shared/report.ts';
import { exitCodeForReport, validateExport } from '../../electron/engine/validate/index.ts';
import { nameKey } from '../../electron/engine/validate/ids.ts';
import { sumDecimals } from '../support/decimals.ts';
import { ACCEPTED_FIXTURES, REFUSED_FIXTURES } from '../fixtures/expected.ts';

const fixture = (name: string) => join(import.meta.dirname, '..', 'fixtures', name);

describe('every accepted fixture validates to its independently computed result', () => {
  for (const [name, want] of Object.entries(ACCEPTED_FIXTURES)) {
    it(name, async () => {
      const { report, rows } = await validateExport(fixture(name));
      expect(ValidateReport.parse(report)).toEqual(report);
      expect(report.refused).toBeNull();
      expect(report.file).toBe(name.split('/').pop());
      expect(report.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect({
        platform: report.platform,
        level: report.level,
        currency: report.currency,
        rows: report.rows,
        dateRange: report.dateRange,
        entities: report.entities,
        totals: report.totals,
      }).toEqual({
        platform: want.platform,
        level: want.level,
        currency: want.currency,
        rows: want.rows,
        dateRange: want.dateRange,
        entities: want.entities,
        totals: want.totals,
      });
      expect(report.rows.valid + report.rows.invalid + report.rows.skipped).toBe(report.rows.total);
      expect(report.issues.map(({ row, column, code, severity }) => ({ row, column, code, severity }))).toEqual(
        want.issues.map(({ row, column, code, severity }) => ({ row, column, code, severity })),
      );
      want.issues.forEach((w, i) => {
        if (w.contains) expect(report.issues[i]!.message).toContain(w.contains);
      });
      expect(rows.map((r) => r.rowNumber)).toEqual(want.rowNumbers);
      want.firstRows.forEach(({ rowNumber, ...row }, i) => expect(rows[i]).toEqual({ rowNumber, row }));
      for (const { row } of rows) expect(CanonicalRow.safeParse(row).success).toBe(true);
      // The report's totals are the sums of exactly the rows handed on to the upload.
      expect(sumDecimals(rows.map((r) => r.row.spend))).toBe(want.totals.spend);
      expect(sumDecimals(rows.map((r) => r.row.impressions))).toBe(want.totals.impressions);
      expect(sumDecimals(rows.map((r) => r.row.conversion_value))).toBe(want.totals.conversionValue);
      expect(exitCodeForReport(report)).toBe(want.rows.invalid > 0 ? 1 : 0);
    });
  }
});

describe('every refused fixture is refused whole, with a sentence saying what to do', () => {
  for (const [name, want] of Object.entries(REFUSED_FIXTURES)) {
    it(name, async () => {
      const { report, rows } = await validateExport(fixture(name));
      expect(ValidateReport.parse(report)).toEqual(report);
      expect(report.refused?.code).toBe(want.refused);
      expect(report.platform).toBe(want.platform);
      for (const part of want.contains) expect(report.refused?.message).toContain(part);
      if (want.startsWith !== undefined) expect(report.refused?.message.startsWith(want.startsWith)).toBe(true);
      if (want.problems !== undefined) expect(report.refused?.problems?.map((p) => p.code)).toEqual(want.problems);
      expect(rows).toEqual([]);
      expect(report.totals).toEqual({ impressions: '0', clicks: '0', spend: '0', conversions: '0', conversionValue: '0' });
      expect(exitCodeForReport(report)).toBe(2);
    });
  }
});

describe('quirks seen through the canonical rows', () => {
  it('keeps names with newlines, quotes, emoji, RTL text, markup and SQL exactly, on the row where each record starts', async () => {
    const { rows } = await validateExport(fixture('meta/ad-daily-tricky-text.csv'));
    const byRow = new Map(rows.map((r) => [r.rowNumber, r.row]));
    expect(byRow.get(2)?.ad_name).toBe('إعلان "الفيديو"\nالنسخة ٢');
    expect(byRow.get(2)?.campaign_name).toBe('Ramadan 🌙 | KSA');
    expect(byRow.get(4)?.campaign_name).toBe("Brand'); DROP TABLE campaigns;--");
    expect(byRow.get(4)?.ad_name).toBe('<img src=x onerror=alert(1)>');
    expect(byRow.get(6)?.campaign_name).toBe('=HYPERLINK("http://evil.example","click")');
    expect(byRow.get(6)?.ad_set_name).toBe('@SUM(1,1)');
    expect(byRow.get(8)?.ad_set_name).toBe('+1 555 0100, "call now"');
    expect(byRow.get(8)?.ad_name).toBe('Line one\r\nLine two, with comma\nLine three');
    expect(byRow.get(9)?.date).toBe('2025-09-02');
  });

  it('reads Meta Results as conversions only for purchase and lead indicators', async () => {
    const { rows } = await validateExport(fixture('meta/ad-daily-title-case-results.csv'));
    const conv = rows.map((r) => [r.row.ad_name, r.row.date, r.row.conversions, r.row.conversion_value]);
    expect(conv).toEqual([
      ['Video 15s', '2025-10-01', '3', '174.3'],
      ['Blog teaser', '2025-10-01', '0', '0'],
      ['Lead form A', '2025-10-01', '6', '0'],
      ['Video 15s', '2025-10-02', '0', '0'],
      ['Blog teaser', '2025-10-02', '0', '0'],
      ['Lead form A', '2025-10-02', '4', '0'],
    ]);
  });

  it('reads German grouping and decimal commas as one file-wide decision', async () => {
    const { rows, facts } = await validateExport(fixture('meta/ad-daily-german.csv'));
    expect(facts.decimalMark).toBe(',');
    expect(rows.map((r) => [r.row.spend, r.row.impressions, r.row.clicks])).toEqual([
      ['152.73', '19233', '171'],
      ['1048.5', '121006', '1204'],
      ['148.1', '18004', '160'],
      ['997', '117310', '1150'],
    ]);
  });

  it('decides day/month from a day above 12 and month/day from the shorter span', async () => {
    const dmy = await validateExport(fixture('excel/meta-resaved-semicolon-dmy-e17.csv'));
    expect(dmy.facts).toMatchObject({
      dateOrder: 'dmy',
      decimalMark: ',',
      dialect: { delimiter: ';', newline: '\r\n' },
      encoding: 'utf-8-bom',
    });
    const mdy = await validateExport(fixture('excel/google-resaved-mdy-dates.csv'));
    expect(mdy.facts.dateOrder).toBe('mdy');
    expect([...new Set(mdy.rows.map((r) => r.row.date))]).toEqual(['2025-09-01', '2025-09-02', '2025-09-03', '2025-09-04', '2025-09-05']);
  });

  it('matches by name, never by the rounded 1,20216E+17 IDs', async () => {
    const { rows } = await validateExport(fixture('excel/meta-resaved-semicolon-dmy-e17.csv'));
    for (const { row } of rows) {
      // Keys derived from the names (shared/name-key.ts), each ad set and ad under its parent.
      expect(row.campaign_external_id).toBe(nameKey(null, row.campaign_name));
      expect(row.ad_set_external_id).toBe(nameKey(row.campaign_external_id, row.ad_set_name!));
      expect(row.ad_external_id).toBe(nameKey(row.ad_set_external_id!, row.ad_name!));
      expect(JSON.stringify(row)).not.toMatch(/E\+17/);
    }
  });

  it('keeps 18- and 19-digit IDs as text, digit for digit', async () => {
    const { rows } = await validateExport(fixture('tiktok/ad-daily-by-day-total-row.csv'));
    expect(rows[0]!.row).toMatchObject({
      campaign_external_id: '1842567730261234567',
      ad_set_external_id: '1842567730262345678',
      ad_external_id: '1842567730263456789',
      spend: '1024.5',
      impressions: '210332',
    });
  });

  it('reads Google "Excel CSV" (UTF-16LE, tabs) and UTF-16BE, keeping the title and date-range lines', async () => {
    const le = await validateExport(fixture('google/adgroup-daily-excel-utf16le-tab.csv'));
    expect(le.facts).toMatchObject({ encoding: 'utf-16le', dialect: { delimiter: '\t', newline: '\r\n' }, headerRow: 3 });
    expect(le.facts.preamble).toEqual(['Ad group report', 'September 1, 2025 - September 2, 2025']);
    const be = await validateExport(fixture('google/ad-daily-utf16be-ids-only.csv'));
    expect(be.facts.encoding).toBe('utf-16be');
    expect(be.rows.map((r) => r.row.ad_name)).toEqual(['712345678901', '712345678902']);
  });

  it('treats Google " --" as zero and skips Total: rows without summing them', async () => {
    const { rows, report } = await validateExport(fixture('google/campaign-daily-preamble-totals.csv'));
    const generic = rows.find((r) => r.row.date === '2025-09-02' && r.row.campaign_name === 'Generic | Search | EN')!;
    expect(generic.row.conversions).toBe('0');
    expect(report.rows.skipped).toBe(4);
    expect(rows.every((r) => !r.row.campaign_name.startsWith('Total'))).toBe(true);
  });

  it('accepts --platform for a header several platforms share', async () => {
    const { report, rows } = await validateExport(fixture('refuse/ambiguous-day-campaign-clicks-cost.csv'), { platform: 'google' });
    expect(report.refused).toBeNull();
    expect(report).toMatchObject({
      platform: 'google',
      level: 'campaign',
      totals: { clicks: '190', spend: '158.05', impressions: '2706' },
    });
    expect(report.issues.map((i) => [i.code, i.severity, i.column])).toEqual([
      ['MISSING_COLUMN', 'warning', 'Campaign'],
      ['MISSING_COLUMN', 'warning', null],
      ['MISSING_COLUMN', 'warning', null],
    ]);
    expect(rows[0]!.row).toMatchObject({ campaign_name: 'Brand', campaign_external_id: nameKey(null, 'Brand') });
  });
});

describe('every row error in the fixtures tells the person where and what to do', () => {
  // What a person can act on: each error sentence ends with an instruction, not just a diagnosis.
  const INSTRUCTION = /\b(Correct|Fill in|Remove|remove|Export|export|Add|Shorten|Check|fix)\b[^.]*\.$/;
  for (const [name, want] of Object.entries(ACCEPTED_FIXTURES)) {
    if (!want.issues.some((i) => i.severity === 'error')) continue;
    it(name, async () => {
      const { report } = await validateExport(fixture(name));
      for (const issue of report.issues.filter((i) => i.severity === 'error')) {
        expect(issue.row, issue.message).toBeGreaterThan(0);
        expect(issue.message, `row ${issue.row}`).toMatch(INSTRUCTION);
      }
    });
  }
});

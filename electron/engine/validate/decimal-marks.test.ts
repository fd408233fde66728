import { describe, expect, it } from 'vitest';
import { DecimalEvidence, type MetricColumn } from './decimal-marks.ts';
import type { DecimalMark } from './numbers.ts';

const SPEND: MetricColumn = { index: 3, header: 'Cost', integer: false };
const CONV: MetricColumn = { index: 4, header: 'Conversions', integer: false };
const VALUE: MetricColumn = { index: 5, header: 'Conv. value', integer: false };
const IMPR: MetricColumn = { index: 1, header: 'Impr.', integer: true };
const COLUMNS = [IMPR, SPEND, CONV, VALUE];
const ENGLISH: { mark: DecimalMark; name: string } = { mark: '.', name: 'English' };
const GERMAN: { mark: DecimalMark; name: string } = { mark: ',', name: 'German' };

/** The decision for cells given per column (row numbers from 2). */
function decide(cells: Partial<Record<number, string[]>>, language = ENGLISH) {
  const ev = new DecimalEvidence();
  for (const col of COLUMNS) (cells[col.index] ?? []).forEach((c, i) => ev.column(col.index).observe(c, col.integer, i + 2));
  const d = ev.decide(COLUMNS, language);
  const marks = Object.fromEntries(COLUMNS.map((c) => [c.header, `${d.columns[c.index]!.mark ?? 'open'} (${d.columns[c.index]!.why})`]));
  return { d, marks, warnings: ev.languageOnlyWarnings(COLUMNS, d) };
}

describe("decimal marks from all of the file's evidence, per column where columns disagree", () => {
  it("a column that shows its mark is read with it; the others take the file's", () => {
    const { marks, d } = decide({
      [IMPR.index]: ['1,204'],
      [SPEND.index]: ['78.55'],
      [CONV.index]: ['2.500'],
      [VALUE.index]: ['1,250.00'],
    });
    expect(d.fileMark).toBe('.');
    expect(marks).toEqual({ 'Impr.': '. (file)', Cost: '. (own)', Conversions: '. (file)', 'Conv. value': '. (own)' });
  });

  it('a Google file with 78,55 in Cost and English column names: Conversions 2.500 and Conv. value 1,250 are left open, never picked', () => {
    const { marks } = decide({ [SPEND.index]: ['78,55'], [CONV.index]: ['2.500'], [VALUE.index]: ['1,250'] });
    expect(marks).toMatchObject({ Cost: ', (own)', Conversions: 'open (language-disagrees)', 'Conv. value': 'open (language-disagrees)' });
  });

  it('the same cells with Dutch column names agree: Conversions 2.500 is 2500', () => {
    const { marks } = decide({ [SPEND.index]: ['78,55'], [CONV.index]: ['2.500'] }, { mark: ',', name: 'Dutch' });
    expect(marks).toMatchObject({ Cost: ', (own)', Conversions: ', (file)' });
  });

  it('columns that disagree keep their own marks; a column that shows none is left open', () => {
    const { marks, d } = decide({ [SPEND.index]: ['12.50'], [CONV.index]: ['0,5'], [VALUE.index]: ['1.250'] });
    expect(marks).toMatchObject({ Cost: '. (own)', Conversions: ', (own)', 'Conv. value': 'open (columns-disagree)' });
    expect(d.columns[VALUE.index]!.because).toContain(
      'Cost writes decimals with a point (row 2: 12.50), Conversions with a comma (row 2: 0,5)',
    );
  });

  it('a column that writes decimals both ways is left open', () => {
    const { marks } = decide({ [SPEND.index]: ['12.50', '7,25'] });
    expect(marks.Cost).toBe('open (conflict)');
  });

  it('without a mark in any amount, grouped counts decide ("19.233" impressions: a decimal comma)', () => {
    const { marks, warnings } = decide({ [IMPR.index]: ['19.233'], [SPEND.index]: ['1.234'] }, GERMAN);
    expect(marks).toMatchObject({ 'Impr.': ', (file)', Cost: ', (file)' });
    expect(warnings).toEqual([]);
  });

  it('when every amount is written d.ddd, the header language alone decides, and says so with both readings', () => {
    const { marks, warnings } = decide({ [SPEND.index]: ['1.234', '2.500'] }, GERMAN);
    expect(marks.Cost).toBe(', (language)');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ row: 2, column: 'Cost', code: 'INVALID_VALUE', severity: 'warning' });
    expect(warnings[0]!.message).toContain(
      'Cost "1.234" (row 2 and 1 more like it) is 1.234 with a decimal point or 1234 with a decimal comma, a 1,000-fold difference',
    );
    expect(warnings[0]!.message).toContain('German column names decided (a comma): 1234');
    const english = decide({ [SPEND.index]: ['1.234'] });
    expect(english.marks.Cost).toBe('. (language)');
    expect(english.warnings[0]!.message).toContain(': 1.234.');
  });

  it('no warning when the amounts are plain numbers', () => {
    expect(decide({ [SPEND.index]: ['1234', '12'] }, GERMAN).warnings).toEqual([]);
  });

  it("a workbook's numeric cells are exact text with a point: 1.234 is 1.234 under German column names, with no warning", () => {
    const ev = new DecimalEvidence();
    ev.column(SPEND.index).observe('1.234', false, 2);
    const d = ev.decide(COLUMNS, { mark: '.', name: 'workbook', exact: true });
    expect(d.columns[SPEND.index]!.mark).toBe('.');
    expect(ev.languageOnlyWarnings(COLUMNS, d)).toEqual([]);
  });
});

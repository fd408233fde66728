import { describe, expect, it } from 'vitest';
import { proposeMapping } from './propose.ts';
import { resolveMapping } from './resolve.ts';
import { headerSignature } from './signature.ts';
import { cellShape } from './values.ts';

const META = ['Day', 'Campaign name', 'Impressions', 'Link clicks', 'Budget used (EUR)'];
const rows = [
  ['2026-11-02', 'Winter Boots', '1520', '41', '23.17'],
  ['2026-11-03', 'Trail Socks', '880', '12', '9.05'],
];

describe('header signature', () => {
  it('is the same header whatever its case, spacing or byte-order mark, and another when a column moves', () => {
    expect(headerSignature(['\uFEFFDay', ' Campaign  name', 'IMPRESSIONS'])).toBe(headerSignature(['day', 'campaign name', 'Impressions']));
    expect(headerSignature(['Day', 'Impressions', 'Campaign name'])).not.toBe(headerSignature(['Day', 'Campaign name', 'Impressions']));
  });
});

describe('resolving a confirmed mapping against a header', () => {
  it('finds headers as the recognition compares them', () => {
    const r = resolveMapping({ platform: 'meta', fields: { spend: 'budget USED (eur)' } }, META);
    expect(r).toEqual({ ok: true, columns: { spend: { index: 4, header: 'Budget used (EUR)' } }, byField: { spend: 4 } });
  });

  it('refuses a header written twice, and a day mapped to a week or to the end of a reporting period', () => {
    expect(resolveMapping({ platform: 'meta', fields: { spend: 'Cost' } }, ['Day', 'Cost', 'cost'])).toMatchObject({
      ok: false,
      message: expect.stringContaining('"Cost" 2 times'),
    });
    expect(resolveMapping({ platform: 'google', fields: { date: 'Week' } }, ['Week', 'Campaign'])).toMatchObject({
      ok: false,
      message: expect.stringContaining('longer period than a day'),
    });
    expect(resolveMapping({ platform: 'meta', fields: { date: 'Reporting ends' } }, ['Reporting starts', 'Reporting ends'])).toMatchObject({
      ok: false,
      message: expect.stringContaining('end of each row'),
    });
  });

  it('leaves a day mapped to Reporting starts to the rule that every row starts and ends on the same day', () => {
    const r = resolveMapping({ platform: 'meta', fields: { date: 'Reporting starts' } }, [
      'Reporting starts',
      'Reporting ends',
      'Campaign name',
    ]);
    expect(r).toEqual({ ok: true, columns: {}, byField: { date: 0 } });
  });
});

describe('the proposal', () => {
  it('proposes the one unplaced column of amounts for a missing spend, with its samples', () => {
    const p = proposeMapping({ headers: META, rows, headerRow: 1, platform: 'meta' })!;
    const spend = p.candidates[0]!.fields.find((f) => f.field === 'spend')!;
    expect(spend).toMatchObject({ column: 4, reason: 'values', required: 'yes' });
    expect(p.columns[4]).toEqual({ index: 4, header: 'Budget used (EUR)', samples: ['23.17', '9.05'] });
  });

  it('proposes nothing from the values when two columns could be the spend', () => {
    const p = proposeMapping({ headers: [...META, 'Fee (EUR)'], rows: rows.map((r) => [...r, '1.10']), headerRow: 1, platform: 'meta' })!;
    expect(p.candidates[0]!.fields.find((f) => f.field === 'spend')).toMatchObject({ column: null, reason: 'none' });
  });

  it('offers no mapping for a file split by weeks', () => {
    expect(
      proposeMapping({ headers: ['Week', 'Campaign', 'Impr.', 'Clicks', 'Cost'], rows: [], headerRow: 1, platform: 'google' }),
    ).toBeNull();
  });
});

describe('cell shapes (evidence only; values are always read by the validator)', () => {
  it('tells numbers, dates, currency codes and text apart', () => {
    expect(['1520', '23.17', '1.234,56', '€ 12', '2026-11-02', 'EUR', 'Winter Boots', '', '--'].map(cellShape)).toEqual([
      'integer',
      'decimal',
      'decimal',
      'integer',
      'date',
      'currency',
      'text',
      'empty',
      'empty',
    ]);
  });
});

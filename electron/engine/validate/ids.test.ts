import { describe, expect, it } from 'vitest';
import { IdColumnWatch, isScientificNotation } from './ids.ts';

describe('IDs rounded by a spreadsheet', () => {
  it('recognises scientific notation as Excel writes it in both locales', () => {
    expect(isScientificNotation('1.20216E+17')).toBe(true);
    expect(isScientificNotation('1,20216E+17')).toBe(true);
    expect(isScientificNotation('1.84257e+18')).toBe(true);
    expect(isScientificNotation('120215553310760183')).toBe(false);
    expect(isScientificNotation('EAAB12')).toBe(false);
  });

  it('a column with any ID in scientific notation is unusable', () => {
    const w = new IdColumnWatch();
    w.observe('120215553310760183', 2);
    w.observe('1.20216E+17', 3);
    expect(w.damaged()).toBe(true);
    expect([w.firstDamagedRow, w.firstDamagedValue]).toEqual([3, '1.20216E+17']);
  });

  it('a column whose long IDs all end in zeros after the 15th digit is unusable; one real ID clears it', () => {
    const rounded = new IdColumnWatch();
    rounded.observe('120215553310760000', 2);
    rounded.observe('120215553310770000', 3);
    expect(rounded.damaged()).toBe(true);

    const real = new IdColumnWatch();
    real.observe('120215553310760000', 2);
    real.observe('120215553310770183', 3);
    real.observe('120215553310780000', 4);
    expect(real.damaged()).toBe(false);
  });

  it('short IDs (Google) are never suspected', () => {
    const w = new IdColumnWatch();
    for (const id of ['21456789012', '21456789000', '162738495000']) w.observe(id, 2);
    expect(w.damaged()).toBe(false);
  });
});

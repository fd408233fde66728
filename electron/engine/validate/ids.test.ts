import { describe, expect, it } from 'vitest';
import { IdColumnWatch, isScientificNotation, nameKey } from './ids.ts';

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

describe('keys derived from names (entities matched by name)', () => {
  // Expected values computed with Python's hashlib (test/fixtures/make/lib.py name_key), not by this code.
  it('are name: and 48 hex digits of SHA-256 over parent, a zero byte and the name', () => {
    expect(nameKey(null, 'Brand')).toBe('name:49645df915a7e7d276527452bfac6688c2e99c4bb8348c54');
    const campaign = nameKey(null, 'Herbst | DE, AT');
    expect(campaign).toBe('name:82293692a2f205c8830013a1851ba6b61a6749c0df7ee46f');
    expect(nameKey(campaign, 'Käufer 1%')).toBe('name:648baac488916484d8afe9d87b6a7ec0835d039c10c639b5');
  });

  it('fit an external id whatever the name, and differ per parent', () => {
    expect(nameKey(null, 'x'.repeat(1024))).toHaveLength(53);
    expect(nameKey('1', 'Broad')).not.toBe(nameKey('2', 'Broad'));
  });
});

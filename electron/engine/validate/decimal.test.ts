import { describe, expect, it } from 'vitest';
import { sumDecimals } from '../../../test/support/decimals.ts';
import { DecimalSum, normaliseDecimal } from './decimal.ts';

/** Reference: every value scaled to 30 decimals in one BigInt. */
function referenceSum(values: string[]): string {
  const scale = 30;
  let total = 0n;
  for (const v of values) {
    const [i = '0', f = ''] = v.split('.');
    total += BigInt(i + f.padEnd(scale, '0'));
  }
  const s = total.toString().padStart(scale + 1, '0');
  return normaliseDecimal(s.slice(0, -scale), s.slice(-scale));
}

describe('normaliseDecimal', () => {
  it('drops leading zeros of the integer part and trailing zeros of the fraction', () => {
    expect(normaliseDecimal('0012', '500')).toBe('12.5');
    expect(normaliseDecimal('4', '00')).toBe('4');
    expect(normaliseDecimal('000', '')).toBe('0');
    expect(normaliseDecimal('', '25')).toBe('0.25');
    expect(normaliseDecimal('1250', '')).toBe('1250');
  });
});

describe('DecimalSum', () => {
  it('adds money exactly where floats drift', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(sumDecimals(['0.1', '0.2'])).toBe('0.3');
    expect(sumDecimals(Array(1_000_000).fill('0.000001'))).toBe('1');
    expect(sumDecimals(Array(10).fill('152.734418'))).toBe('1527.34418');
  });

  it('stays exact beyond 2^53 and with fractions longer than nine digits', () => {
    expect(sumDecimals(['9007199254740993', '1'])).toBe('9007199254740994');
    expect(sumDecimals(['0.0000000001', '0.0000000002', '3'])).toBe('3.0000000003');
    expect(sumDecimals(Array(5000).fill('4503599627370496.5'))).toBe(referenceSum(Array(5000).fill('4503599627370496.5')));
    expect(sumDecimals(['12345678901234567890.123456789012', '0.000000000001'])).toBe('12345678901234567890.123456789013');
  });

  it('is zero when nothing is added, and a sum can be read more than once', () => {
    expect(new DecimalSum().toString()).toBe('0');
    const s = new DecimalSum();
    s.add('1.5');
    expect(s.toString()).toBe('1.5');
    s.add('2.25');
    expect(s.toString()).toBe('3.75');
  });

  it('agrees with a BigInt reference on 20,000 random amounts of mixed scale', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const values: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const int = String(Math.floor(rnd() * 10 ** Math.floor(rnd() * 15)));
      const fracLen = Math.floor(rnd() * 13);
      const frac = Array.from({ length: fracLen }, () => Math.floor(rnd() * 10)).join('');
      values.push(normaliseDecimal(int, frac));
    }
    expect(sumDecimals(values)).toBe(referenceSum(values));
  });
});

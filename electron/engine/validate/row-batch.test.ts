import { describe, expect, it } from 'vitest';
import { metricText } from './row-batch.ts';

/** The text by the digits' string, in exact integers: what `metricText` must give. */
function reference(digits: bigint, scale: number): string {
  const s = digits.toString().padStart(scale + 1, '0');
  return scale === 0 ? s : `${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}`;
}

describe('metricText', () => {
  it('writes digits and scale back as the decimal they were read from', () => {
    expect(metricText(34746, 0)).toBe('34746');
    expect(metricText(0, 0)).toBe('0');
    expect(metricText(346601951, 6)).toBe('346.601951');
    expect(metricText(5000, 2)).toBe('50.00');
    expect(metricText(5, 3)).toBe('0.005');
    expect(metricText(0, 2)).toBe('0.00');
    expect(metricText(100, 2)).toBe('1.00');
  });

  it('is exact at every scale up to 15 digits, at the edges where a division would round', () => {
    for (let scale = 0; scale <= 15; scale++) {
      const edges = [
        0n,
        1n,
        9n,
        10n ** BigInt(scale) - 1n,
        10n ** BigInt(scale),
        10n ** BigInt(scale) + 1n,
        10n ** 15n - 1n,
        999999999999998n,
      ];
      for (let k = 1n; k < 10n ** BigInt(15 - scale) && k < 1000n; k = k * 7n + 3n) {
        edges.push(k * 10n ** BigInt(scale) - 1n, k * 10n ** BigInt(scale), k * 10n ** BigInt(scale) + 1n);
      }
      for (const d of edges) {
        if (d < 0n || d >= 10n ** 15n) continue;
        expect(metricText(Number(d), scale), `${d} at scale ${scale}`).toBe(reference(d, scale));
      }
    }
  });

  it('agrees with the digits string on random metrics of up to 15 digits', () => {
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let i = 0; i < 20000; i++) {
      const digits = (BigInt(next()) * 2147483648n + BigInt(next())) % 10n ** BigInt(1 + (next() % 15));
      const scale = next() % 16;
      expect(metricText(Number(digits), scale)).toBe(reference(digits, scale));
    }
  });
});

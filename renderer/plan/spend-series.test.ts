import { describe, expect, it } from 'vitest';
import { niceMax, spendSeries } from './spend-series.ts';

const day = (date: string, spend: string, rows = 10) => ({ date, spend, rows });

describe('spend per day', () => {
  it('marks days without rows as missing and days far above the median as spikes', () => {
    const s = spendSeries({
      currency: 'EUR',
      days: [
        day('2025-09-01', '100'),
        day('2025-09-02', '110'),
        day('2025-09-03', '0', 0),
        day('2025-09-04', '95'),
        day('2025-09-05', '900'),
        day('2025-09-06', '105'),
      ],
    });
    expect(s.missingDays).toEqual(['2025-09-03']);
    expect(s.spikeDays).toEqual(['2025-09-05']);
    expect(s.median).toBe(105);
    expect(s.max).toBe(900);
  });
  it('a day with rows but zero spend is not missing, and a flat series has no spikes', () => {
    const s = spendSeries({ currency: null, days: [day('2025-09-01', '0'), day('2025-09-02', '0')] });
    expect(s.missingDays).toEqual([]);
    expect(s.spikeDays).toEqual([]);
  });
  it('rounds the axis up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(870)).toBe(1000);
    expect(niceMax(1234)).toBe(2000);
    expect(niceMax(2100)).toBe(2500);
    expect(niceMax(4.2)).toBe(5);
  });
});
